"""Pictures readers can read: the knowledge graph's labels at body size, none cut off or overlapping,
on a desktop and a 390 px phone; a legend; every node a link; nothing that needs hovering."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE_390 = {"width": 390, "height": 844}

LABELS_JS = """box => {
    const body = parseFloat(getComputedStyle(document.querySelector('article p')).fontSize);
    const frame = box.getBoundingClientRect();
    const labels = [...box.querySelectorAll('a')].map(a => {
        const r = a.getBoundingClientRect();
        return {text: a.textContent.trim(), size: parseFloat(getComputedStyle(a).fontSize),
                x: r.left, y: r.top, w: r.width, h: r.height,
                clipped: a.scrollWidth > a.clientWidth + 1 || a.scrollHeight > a.clientHeight + 1 ||
                         r.left < frame.left - 1 || r.right > frame.right + 1};
    });
    return {body, labels, titles: box.querySelectorAll('title, [title]').length,
            scroll: [box.scrollWidth, box.clientWidth]};
}"""


def overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["w"] - 1 and b["x"] < a["x"] + a["w"] - 1 and a["y"] < b["y"] + b["h"] - 1 and b["y"] < a["y"] + a["h"] - 1


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_graph_labels_are_readable(make_page: object, server: object, kb: dict, size: str) -> None:
    page = make_page(viewport=PHONE_390, is_mobile=True, has_touch=True) if size == "phone" else make_page()
    page.goto(server.url + "graph/")
    box = page.locator(".kb-matrix-box")
    data = box.evaluate(LABELS_JS)
    labels = data["labels"]
    names = {x["text"] for x in labels}
    assert {t["title"] for t in kb["topics"]} <= names and {c["name"] for c in kb["case_studies"]} <= names
    assert len(labels) == len(names), "one node per thing"
    small = [x["text"] for x in labels if x["size"] < data["body"] - 0.01]
    assert not small, f"labels smaller than the body text ({data['body']} px): {small[:5]}"
    clipped = [x["text"] for x in labels if x["clipped"]]
    assert not clipped, f"labels cut off: {clipped[:5]}"
    bad = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1 :] if overlaps(a, b)]
    assert not bad, f"labels overlapping: {bad[:5]}"
    assert data["titles"] == 0, "nothing is told by hover-only titles"
    assert data["scroll"][0] <= data["scroll"][1], f"{size}: the graph is wider than its column"
    # The legend: a caption, and each group saying what its marks mean.
    assert box.locator("caption").inner_text().strip()
    assert box.locator(".kb-matrix-group th").count() >= 3
    assert box.locator("thead .kb-swatch").count() == len(kb["topics"])
