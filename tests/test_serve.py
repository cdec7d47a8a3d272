"""`mkdocs serve` with the README's command: live reload in a real browser, and broken saves survived."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, copy_project

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode("utf-8")


def wait_for(predicate, timeout: float, what: str) -> float:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until true; return the seconds it took."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            if predicate():
                return time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


# The README's serve command, and plain MkDocs with the flag current click needs for live reload.
COMMANDS = {
    "diplokb-serve": [sys.executable, "-m", "diplokb", "serve"],
    "mkdocs-serve": [sys.executable, "-m", "mkdocs", "serve", "--livereload"],
}


class Server:
    def __init__(self, project: Path, port: int, log: Path, command: list[str]) -> None:
        self.url = ""
        self.log = log
        self.out = log.open("w")
        self.tmp = log.parent / "serve-tmp"  # MkDocs builds into a temporary folder: keep it where the test can look
        self.tmp.mkdir(exist_ok=True)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(self.tmp)}
        self.proc = subprocess.Popen(
            [*command, "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=self.out,
            stderr=subprocess.STDOUT,
        )

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.out.close()

    def served_url(self) -> bool:
        """The URL from MkDocs' own "Serving on" line (site_url's path is the mount point)."""
        m = re.search(r"Serving on (http://\S+)", self.output())
        if m:
            self.url = m.group(1).rstrip("/") + "/"
        return bool(m)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(params=sorted(COMMANDS))
def served(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, Server]]:
    project = copy_project(tmp_path / "kb")
    server = Server(project, free_port(), tmp_path / "serve.log", COMMANDS[request.param])
    try:
        wait_for(server.served_url, 60, "the server to start")
        wait_for(lambda: "Peacekeeping" in fetch(server.url + "topics/peacekeeping/"), 30, "the first page")
        yield project, server
    finally:
        server.close()


def test_yaml_edit_reaches_open_tab_and_broken_save_survives(served: tuple[Path, Server]) -> None:
    """Saving topic YAML updates the open tab by itself; a broken save keeps the last good page; the fix comes back."""
    from playwright.sync_api import sync_playwright

    project, server = served
    topic = project / "content/topics/peacekeeping.yaml"
    original = topic.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(server.url + "topics/peacekeeping/")
            assert page.locator("h1").inner_text().startswith("Peacekeeping")

            # 1. A good edit shows up in the open tab, no reload by the test.
            topic.write_text(
                original.replace("Peacekeeping sends military forces", "LIVE-EDIT-ONE sends military forces"), encoding="utf-8"
            )
            page.wait_for_selector("text=LIVE-EDIT-ONE", timeout=15_000)

            # 2. A broken save: the error is printed, the server stays up, the last good page is still served.
            topic.write_text(original.replace("title: Peacekeeping", "title: Peacekeeping\nsummry: oops"), encoding="utf-8")
            wait_for(lambda: "summry: unknown field" in server.output(), 15, "the error in the terminal")
            assert "content/topics/peacekeeping.yaml:3:1: summry: unknown field `summry`; did you mean `summary`?" in server.output()
            assert "Traceback" not in server.output()
            assert server.proc.poll() is None
            assert "LIVE-EDIT-ONE" in fetch(server.url + "topics/peacekeeping/")
            page.wait_for_load_state()  # the rebuild from the last good content reloads the tab
            page.wait_for_selector("text=LIVE-EDIT-ONE", timeout=15_000)

            # 3. The fix brings the page back, in the same tab, without a restart.
            topic.write_text(
                original.replace("Peacekeeping sends military forces", "LIVE-EDIT-TWO sends military forces"), encoding="utf-8"
            )
            page.wait_for_selector("text=LIVE-EDIT-TWO", timeout=15_000)
            assert server.proc.poll() is None
        finally:
            browser.close()


def test_essay_edit_reaches_open_tab(served: tuple[Path, Server]) -> None:
    """Saving an essay updates its open essay page by itself."""
    from playwright.sync_api import sync_playwright

    project, server = served
    essay = project / "seeds/military-diplomacy-and-nation-building.txt"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(server.url + "essays/military-diplomacy-and-nation-building/")
            essay.write_text(
                essay.read_text(encoding="utf-8").replace("Navigating Power Dynamics\n", "Navigating Power Dynamics Revisited\n", 1),
                encoding="utf-8",
            )
            page.wait_for_selector("#navigating-power-dynamics-revisited", timeout=15_000)
        finally:
            browser.close()


def test_fast_serve_rebuilds_only_changed_pages(tmp_path: Path) -> None:
    """Under `diplokb serve` a summary edit re-renders the pages it changes, not the others, and the navigation stays right."""
    project = copy_project(tmp_path / "kb")
    server = Server(project, free_port(), tmp_path / "serve.log", COMMANDS["diplokb-serve"])
    try:
        wait_for(server.served_url, 60, "the server to start")
        wait_for(lambda: "Peacekeeping" in fetch(server.url + "topics/peacekeeping/"), 30, "the first page")
        (site,) = server.tmp.glob("mkdocs_*")
        essay = site / "essays/military-diplomacy-and-nation-building/index.html"
        topic_html = site / "topics/peacekeeping/index.html"
        essay_mtime, topic_mtime = essay.stat().st_mtime_ns, topic_html.stat().st_mtime_ns
        topic = project / "content/topics/peacekeeping.yaml"
        topic.write_text(
            topic.read_text(encoding="utf-8").replace("Peacekeeping sends military forces", "FAST-EDIT sends military forces"),
            encoding="utf-8",
        )
        wait_for(lambda: "FAST-EDIT" in fetch(server.url + "topics/peacekeeping/"), 15, "the edited topic page")
        assert "FAST-EDIT" in fetch(server.url + "topics/")  # the Topics index shows summaries too
        assert topic_html.stat().st_mtime_ns > topic_mtime
        assert essay.stat().st_mtime_ns == essay_mtime  # a page the edit does not change is not re-rendered
        # The re-rendered page's navigation names the pages it did not re-read by their real titles.
        assert re.search(r">\s*Attachés\s*<", fetch(server.url + "topics/peacekeeping/"))
        assert "dirty" not in server.output().lower()
        assert server.proc.poll() is None
    finally:
        server.close()
