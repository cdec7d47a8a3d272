"""What a build holds: a generated page's file keeps the page, not its HTML (bench/README.md, "x100 memory")."""

from __future__ import annotations

from diplokb.render.markup import Heading, Page
from diplokb.site.pages import KbFile


def test_a_generated_page_file_makes_its_html_when_read_and_holds_none() -> None:
    """A generated page's file makes its HTML from its page when read and keeps no copy; content set by hand replaces the page."""
    page = Page.of("topics/x.md", "X", "About x.", [Heading(1, "X"), "<p>“Quoted” text.</p>"])
    f = KbFile("topics/x.md", src_dir=None, dest_dir="/tmp/site", use_directory_urls=True)
    f.content_string = ""
    f.kb_page = page
    assert f.content_string == page.html()
    assert f.content_bytes == page.html().encode("utf-8")
    assert f._content == ""  # the HTML is not kept in the file
    f.content_string = "<p>set</p>"  # content set by hand replaces the page
    assert f.kb_page is None and f.content_string == "<p>set</p>"
