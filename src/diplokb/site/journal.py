"""Undo for a site rebuilt in place: what a dirty rebuild under ``mkdocs serve`` replaces, kept aside.

Used by the adapter (:mod:`diplokb.site.staging`); it needs no MkDocs of its own, only the files MkDocs
is about to write (objects with ``is_modified()`` and ``abs_dest_path``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any


class Journal:
    """What an in-place rebuild of ``site`` replaces, kept aside until the build succeeded.

    Before MkDocs writes: each file this build rewrites is moved aside (MkDocs writes a new one),
    every other file that is no source's output (search index, sitemap, 404 page...) is copied
    aside. :meth:`undo` puts them all back and removes what the build added; :meth:`drop` forgets them."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.aside = Path(tempfile.mkdtemp(prefix=f".{site.name}.journal-", dir=site.parent))
        self.kept: list[tuple[str, str]] = []  # (file in the site, its copy aside)
        self.before: set[str] = set()  # every file the site held before writing

    def keep(self, files: Iterable[Any]) -> None:
        """Before MkDocs writes: ``files`` are MkDocs' files (``is_modified()``, ``abs_dest_path``)."""
        untouched: set[str] = set()
        rewritten: set[str] = set()
        for f in files:
            (rewritten if f.is_modified() else untouched).add(os.path.normpath(f.abs_dest_path))
        for root, _dirs, names in os.walk(self.site):
            for name in names:
                path = os.path.join(root, name)
                self.before.add(path)
                if path in untouched or os.path.islink(path):
                    continue
                aside = os.path.join(self.aside, str(len(self.kept)))
                if path in rewritten:
                    os.rename(path, aside)
                else:
                    shutil.copy2(path, aside)
                self.kept.append((path, aside))

    def undo(self) -> None:
        for root, _dirs, names in os.walk(self.site):
            for name in names:
                path = os.path.join(root, name)
                if path not in self.before and not os.path.islink(path):
                    os.remove(path)
        for path, aside in self.kept:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.replace(aside, path)
        self.drop()

    def drop(self) -> None:
        shutil.rmtree(self.aside, ignore_errors=True)
