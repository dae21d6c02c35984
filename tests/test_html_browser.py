"""The HTML report in a real headless browser (Debian's chromium), with no network.

Chromium renders the page, the DOM it built is dumped, and the highlighted
values are checked against the evidence spans of ``report.to_dict()``. The
tests skip when chromium is not installed; CI installs it (``.ci/run``) and
sets ``FACTCHECK_REQUIRE_CHROMIUM=1``, which turns the skip into a failure.

To refresh the screenshot kept in the docs::

    FACTCHECK_UPDATE_SCREENSHOT=1 python3 -m pytest tests/test_html_browser.py -k seed
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

# Shared with the parser-level tests of the same page.
from test_reporting import (
    Node,
    build_report,
    check_links_resolve,
    check_marks_are_evidence,
    check_self_contained,
    large_corpus,
    parse_html,
)

from factcheck.reporting import Report

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "docs" / "seed-report.png"
WINDOW = (1280, 2000)


def _chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    return found


CHROMIUM = _chromium_path()


@pytest.fixture(autouse=True)
def _needs_chromium() -> None:
    """Skip without chromium, unless FACTCHECK_REQUIRE_CHROMIUM=1 (as in CI): then fail."""
    if CHROMIUM is None:
        reason = "Debian's chromium is not installed (apt-get install -y chromium); CI installs it"
        if os.environ.get("FACTCHECK_REQUIRE_CHROMIUM") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def _no_network_prefix() -> list[str]:
    """``unshare -rn`` (a new network namespace with no interface up) where allowed."""
    if shutil.which("unshare") is None:
        return []
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=30)
    return ["unshare", "-rn"] if probe.returncode == 0 else []


def chromium(workdir: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless chromium on ``url`` with every way out to the network closed."""
    assert CHROMIUM is not None
    command = [
        *_no_network_prefix(),
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        f"--user-data-dir={workdir / 'profile'}",
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        *args,
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


# Measures what the browser drew: each mark's computed background and size.
_PROBE = """<script>
for (const m of document.querySelectorAll("mark[data-start]")) {
  const box = m.getBoundingClientRect();
  m.dataset.bg = getComputedStyle(m).backgroundColor;
  m.dataset.width = Math.round(box.width);
  m.dataset.height = Math.round(box.height);
}
document.body.dataset.height = Math.round(document.body.getBoundingClientRect().height);
</script>"""

_CONFLICT_BG = "rgb(255, 179, 171)"  # #ffb3ab in the page's CSS
_MATCH_BG = "rgb(220, 245, 227)"  # #dcf5e3, var(--green-bg)


def rendered_dom(report: Report, tmp_path: Path) -> str:
    """The DOM chromium builds from the page, with the probe's measurements added.

    The page's Content-Security-Policy forbids every script, so the probe goes
    into a copy without it; the plain page is loaded as well and must give the
    same marks.
    """
    page = report.to_html()
    check_self_contained(page)
    plain = tmp_path / "report.html"
    plain.write_text(page, encoding="utf-8")
    probed = tmp_path / "probed.html"
    without_csp = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    probed.write_text(without_csp.replace("</body>", _PROBE + "</body>"), encoding="utf-8")

    plain_dom = chromium(tmp_path, plain.as_uri(), "--dump-dom").stdout
    dom = chromium(tmp_path, probed.as_uri(), "--dump-dom").stdout
    marks = re.compile(r"<mark [^>]*data-start[^>]*>")
    strip = re.compile(r' data-(?:bg|width|height)="[^"]*"')
    assert [strip.sub("", m) for m in marks.findall(dom)] == marks.findall(plain_dom)
    return dom


def _marks(node: Node, inside: bool = False) -> list[tuple[Node, bool]]:
    """The evidence marks under ``node``, each with whether it lies inside another mark."""
    out: list[tuple[Node, bool]] = []
    for child in node.children:
        if isinstance(child, str):
            continue
        is_mark = child.tag == "mark" and "data-start" in child.attrs
        if is_mark:
            out.append((child, inside))
        out += _marks(child, inside or is_mark)
    return out


def check_rendered(report: Report, tmp_path: Path) -> int:
    dom = parse_html(rendered_dom(report, tmp_path))
    body = dom.find_all("body")[0]
    assert int(body.attrs["data-height"]) > 500, "the page did not lay out"
    texts = {d.id: d.text for d in report.documents}
    checked = check_marks_are_evidence(dom, report.to_dict(), texts)
    check_links_resolve(dom)
    for mark, nested in _marks(dom):
        assert int(mark.attrs["data-width"]) > 0, mark.text()
        assert int(mark.attrs["data-height"]) > 0, mark.text()
        if not nested:  # a value inside another shows the outer one's colour
            expected = _CONFLICT_BG if mark.attrs["data-same"] == "false" else _MATCH_BG
            assert mark.attrs["data-bg"] == expected, mark.text()
    return checked


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def screenshot(report: Report, tmp_path: Path) -> bytes:
    page = tmp_path / "shot.html"
    page.write_text(report.to_html(), encoding="utf-8")
    out = tmp_path / "shot.png"
    chromium(
        tmp_path, page.as_uri(), f"--screenshot={out}", f"--window-size={WINDOW[0]},{WINDOW[1]}"
    )
    data = out.read_bytes()
    assert png_size(data) == WINDOW
    return data


@pytest.fixture(scope="module")
def contradiction_report() -> Report:
    """A contradiction and agreements, built by hand (see test_reporting)."""
    return build_report()


def test_the_page_renders_with_the_evidence_spans_highlighted(
    contradiction_report: Report, tmp_path: Path
) -> None:
    assert check_rendered(contradiction_report, tmp_path) >= 4


def test_a_screenshot_has_the_window_size(contradiction_report: Report, tmp_path: Path) -> None:
    assert len(screenshot(contradiction_report, tmp_path)) > 10_000


@pytest.mark.model
def test_the_seed_report_renders_and_its_screenshot_is_kept(
    seed_report: Report, tmp_path: Path
) -> None:
    assert check_rendered(seed_report, tmp_path) > 0
    data = screenshot(seed_report, tmp_path)
    if os.environ.get("FACTCHECK_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.write_bytes(data)
    assert png_size(SCREENSHOT.read_bytes()) == WINDOW


def _shown_marks(node: Node, hidden: bool = False) -> list[tuple[Node, bool]]:
    """The evidence marks under ``node``, each with whether a closed ``<details>`` hides it."""
    out: list[tuple[Node, bool]] = []
    for child in node.children:
        if isinstance(child, str):
            continue
        folded = hidden or (child.tag == "details" and "open" not in child.attrs)
        if child.tag == "mark" and "data-start" in child.attrs:
            out.append((child, hidden))
        # A <details> element's <summary> stays visible when it is closed.
        out += _shown_marks(child, hidden if child.tag == "summary" else folded)
    return out


@pytest.fixture(scope="module")
def report_of_200() -> Report:
    import factcheck
    from factcheck.embedding import HashingEmbedder

    return factcheck.check(large_corpus(200), embedder=HashingEmbedder())


def test_a_report_of_200_documents_renders_in_well_under_a_minute(
    report_of_200: Report, tmp_path: Path
) -> None:
    page = tmp_path / "big.html"
    page.write_text(report_of_200.to_html(), encoding="utf-8")
    started = time.monotonic()
    dom_text = chromium(tmp_path, page.as_uri(), "--dump-dom").stdout
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"chromium took {elapsed:.0f} s"
    dom = parse_html(dom_text)
    texts = {d.id: d.text for d in report_of_200.documents}
    assert check_marks_are_evidence(dom, report_of_200.to_dict(), texts) > 500
    check_links_resolve(dom)
    # Laid out and coloured: the probe measures what the browser drew.
    probed = parse_html(rendered_dom(report_of_200, tmp_path))
    body = probed.find_all("body")[0]
    assert int(body.attrs["data-height"]) > 2000, "the page did not lay out"
    shown = [m for m, hidden in _shown_marks(probed) if not hidden]
    assert len(shown) > 100
    for mark in shown:
        assert int(mark.attrs["data-width"]) > 0, mark.text()
        assert int(mark.attrs["data-height"]) > 0, mark.text()
