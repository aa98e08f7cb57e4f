"""The course website, built in this test run and read in headless Chromium with no network.

The site is built from the committed notebooks (docs/build.py) into a temporary folder, served on
127.0.0.1, and every request for anything else is blocked (and fails the test). Each chapter page
must load with no console error and no failed request, have its math typeset by the local MathJax
(no raw TeX left in the text), show every image and graph of the notebook (the explorers as their
saved pictures), keep every link inside the site pointing at a page that exists, and launch the
right notebook on Binder and Colab. Screenshots (1400x900) go to tests/browser/artifacts/site-*.png.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
sys.path.insert(0, str(ROOT))

from docs.build import WIDGET_VIEW, build  # noqa: E402
from docs.links import README, chapters, repository  # noqa: E402

CHAPTERS = chapters(README.read_text(encoding="utf-8"))
SCREENSHOTS = {"index", "course/03_neural_networks", "course/05_forward_mode"}
RAW_TEX = re.compile(r"\$[^$\s][^$]*\$|\\\(|\\\[|\\begin\{")
BUILD_SECONDS = 60


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("site")
    started = time.monotonic()
    done = build(work / "html", stage_dir=work / "source", doctrees=work / "doctrees")
    seconds = time.monotonic() - started
    assert done.returncode == 0, f"sphinx failed:\n{done.stdout}\n{done.stderr}"
    course_problems = [line for line in done.stderr.splitlines()
                       if ("WARNING" in line or "ERROR" in line) and "autodiff_nb/" not in line]
    assert not course_problems, "the course pages build with warnings:\n" + "\n".join(course_problems)
    assert seconds < BUILD_SECONDS, f"the site took {seconds:.0f} s to build"
    return work / "html"


@pytest.fixture(scope="module")
def server(site: Path):
    """An HTTP server for the built site on a free loopback port; its base URL."""
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass


class PageWatch:
    """Everything that went wrong while pages loaded: console errors, failed or blocked requests."""

    def __init__(self, page, base: str) -> None:
        self.base = base
        self.problems: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.problems.append(
            f"console error: {message.text}"))
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda response: response.status >= 400 and self.problems.append(
            f"HTTP {response.status}: {response.url}"))
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            self.problems.append(f"blocked request off the site: {url}")
            route.abort()

    def _failed(self, request) -> None:
        if request.url.startswith(self.base):
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


@pytest.fixture(scope="module")
def browser(module_page, server: str):
    """conftest.py's Chromium page at 1400x900, watched, with every request off the site blocked."""
    module_page.set_viewport_size({"width": 1400, "height": 900})
    return module_page, PageWatch(module_page, server)


def visit(page, watch: PageWatch, url: str, name: str) -> None:
    """Load ``url``, wait for MathJax to finish and every image to load; screenshot some pages."""
    page.goto(url, wait_until="load")
    page.evaluate("async () => { if (window.MathJax?.startup?.promise) await MathJax.startup.promise; }")
    page.wait_for_function("() => [...document.images].every((image) => image.complete)")
    if name in SCREENSHOTS:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"site-{name.replace('/', '-')}.png"))


def site_links(page, base: str) -> list[str]:
    """Every link of the page that stays on the site, as absolute URLs."""
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map((a) => a.href)")
    return [href for href in hrefs if href.startswith(base)]


def assert_links_resolve(page, site: Path, base: str) -> None:
    for href in site_links(page, base):
        parts = urlsplit(href)
        target = site / unquote(parts.path[len(urlsplit(base).path):])
        if target.is_dir():
            target = target / "index.html"
        assert target.is_file(), f"{page.url} links to {href}, which is not on the site"
        if parts.fragment and target.suffix == ".html":
            assert unquote(parts.fragment) in anchors(target), f"{page.url} links to {href}: no such anchor"


@functools.cache
def anchors(page: Path) -> frozenset[str]:
    return frozenset(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))


EXPLORERS = ("derivative_explorer(", "fd_error_explorer(", "shallow_net_explorer(",
             "backprop_stepper(", "optimizer_playground(", "TrainingMonitor(")


def notebook_pictures(path: Path) -> tuple[int, int, list[str]]:
    """A notebook's image outputs, its widget outputs without a picture, and the cells that show
    an autodiff_nb explorer without a picture of it."""
    images, bare_widgets, explorers_without_picture = 0, 0, []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"])
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            has_image = any(mime in data for mime in ("image/png", "image/svg+xml", "image/jpeg"))
            images += has_image
            if WIDGET_VIEW in data and not has_image:
                bare_widgets += 1
                if any(call in source for call in EXPLORERS):
                    explorers_without_picture.append(source[:80])
    return images, bare_widgets, explorers_without_picture


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda chapter: chapter.number)
def test_chapter_page(browser, server: str, site: Path, chapter) -> None:
    page, watch = browser
    visit(page, watch, f"{server}{chapter.docname}.html", chapter.docname)
    problems = watch.take()
    assert not problems, f"{chapter.docname}: {problems}"
    assert chapter.title.split(":")[0] in page.title()

    # Math: every formula typeset by MathJax, no TeX left in the prose.
    math = page.evaluate("""() => [...document.querySelectorAll('article .math')].map(
        (node) => node.querySelector('mjx-container svg') !== null)""")
    assert all(math), f"{chapter.docname}: {math.count(False)} of {len(math)} formulas not typeset"
    prose = page.evaluate("""() => {
        const article = document.querySelector('article').cloneNode(true);
        article.querySelectorAll('pre, code, script, style, mjx-container, .cell_output')
            .forEach((node) => node.remove());
        return article.innerText; }""")
    left = RAW_TEX.findall(prose)
    assert not left, f"{chapter.docname}: raw TeX in the text: {left[:5]}"

    # Pictures: every image output of the notebook is on the page and loaded.
    images, bare_widgets, explorers_without_picture = notebook_pictures(ROOT / chapter.path)
    assert not explorers_without_picture, (
        f"{chapter.path} stores explorers without their picture (re-execute it with "
        f"python3 dev.py notebooks): {explorers_without_picture}")
    shown = page.evaluate("""() => [...document.querySelectorAll('article .cell_output img')].map(
        (image) => [image.getAttribute('src'), image.naturalWidth])""")
    assert len(shown) == images, f"{chapter.docname}: {len(shown)} pictures shown, notebook has {images}"
    assert all(width > 0 for _, width in shown), f"{chapter.docname}: images that did not load: {shown}"
    notes = page.locator("article .widget-note").count()
    assert notes == bare_widgets, f"{chapter.docname}: {bare_widgets} widgets without picture, {notes} notes"

    # Navigation and launch buttons.
    assert_links_resolve(page, site, server)
    current = page.locator(".bd-sidebar-primary a.current")
    assert current.count() == 1 and chapter.title.split(":")[0] in current.inner_text()
    index = CHAPTERS.index(chapter)
    neighbours = {"left-prev": CHAPTERS[index - 1] if index else None,
                  "right-next": CHAPTERS[index + 1] if index + 1 < len(CHAPTERS) else None}
    for side, neighbour in neighbours.items():
        if neighbour is not None:
            href = page.locator(f".prev-next-area a.{side}").get_attribute("href")
            assert href == f"{Path(neighbour.docname).name}.html", (chapter.docname, side, href)
    repo = repository()
    launch = set(page.evaluate(
        "() => [...document.querySelectorAll('a[href]')].map((a) => a.href)"
        ".filter((href) => /mybinder\\.org|colab\\.research/.test(href))"))
    assert launch == {repo.binder(chapter.path), repo.colab(chapter.path)}, launch


def test_front_page_lists_every_chapter(browser, server: str, site: Path) -> None:
    page, watch = browser
    visit(page, watch, server, "index")
    problems = watch.take()
    assert not problems, problems
    table = page.locator("article table").first
    for chapter in CHAPTERS:
        link = table.locator(f"a[href='{chapter.docname}.html']")
        assert link.count() == 1, f"front page: no link to {chapter.docname}"
        assert chapter.title in link.inner_text()
    sidebar = page.locator(".bd-sidebar-primary a.reference.internal")
    assert sidebar.count() >= len(CHAPTERS) + 1  # every chapter and the API reference
    assert_links_resolve(page, site, server)


def test_search_and_api_reference_work_offline(browser, server: str, site: Path) -> None:
    page, watch = browser
    visit(page, watch, f"{server}search.html?q=backpropagation", "search")
    page.wait_for_selector("#search-results li", timeout=15_000)
    results = page.locator("#search-results li a").evaluate_all("(links) => links.map((a) => a.href)")
    assert any("/course/" in href for href in results), results
    visit(page, watch, f"{server}api/autodiff_nb.html", "api")
    assert page.locator("dt[id='autodiff_nb.Value']").count() == 1
    assert "backward" in page.locator("article").inner_text()
    problems = watch.take()
    assert not problems, problems
