"""Measure what a learner sees of graphs and explorer pictures in the JupyterLab page.

``measure(page)`` returns, for the notebook shown:

graphs    every Graphviz drawing: a cell's SVG output (JupyterLab shows it as an <img>) or the inline
          <svg> of the backprop stepper, with its rendered width, the width of the area it sits in
          and the smallest text on it in CSS pixels as displayed (font size times the scale the
          drawing is shown at; the SVG is parsed again in the page and measured with getScreenCTM).
pictures  every ipywidgets Image (explorer plots): rendered and natural size in pixels.
widgets   every widget view with sliders and pictures: the height from the top of its first control
          to the bottom of its last picture (must fit the window to see both while moving one).

Used by test_whole_course.py and test_explorers.py, and by tools/look.py.
"""

from __future__ import annotations

from typing import Any

LAPTOP = {"width": 1400, "height": 900}
"""A typical laptop window (CSS pixels): the course must read well in it with the file browser open."""
MIN_TEXT_PX = 9.0
"""The smallest text allowed on a displayed graph, in CSS pixels."""

GRAPHS = ".jp-RenderedSVG img, .widget-html svg"
PICTURES = ".widget-image"

MEASURE_JS = """async ([graphSelector, pictureSelector]) => {
    const panel = window.jupyterapp.shell.currentWidget.node;
    const round = (x) => Math.round(x * 10) / 10;
    const areaOf = (element) => element.closest('.jp-OutputArea-output');
    const shown = (element) => element.getBoundingClientRect().width > 0;
    const cellOf = (element) => [...panel.querySelectorAll('.jp-Cell')].indexOf(element.closest('.jp-Cell'));
    async function sourceOf(element) {
        if (element.tagName.toLowerCase() === 'svg') return element.outerHTML;
        return await (await fetch(element.src)).text();
    }
    async function smallestText(element, width) {
        // The drawing again, off screen, at the width it is shown: each text's font size times
        // the scale from its coordinates to the screen.
        const holder = document.createElement('div');
        holder.style.cssText = 'position:absolute;left:-10000px;top:0;width:' + width + 'px';
        holder.innerHTML = await sourceOf(element);
        const svg = holder.querySelector('svg');
        if (!svg) return null;
        const box = svg.viewBox.baseVal;
        const aspect = box && box.width ? box.height / box.width : 1;
        svg.setAttribute('width', width);
        svg.setAttribute('height', width * aspect);
        document.body.appendChild(holder);
        let smallest = Infinity;
        for (const text of svg.querySelectorAll('text')) {
            const size = parseFloat(getComputedStyle(text).fontSize);
            const matrix = text.getScreenCTM();
            if (matrix && size) smallest = Math.min(smallest, size * Math.hypot(matrix.a, matrix.b));
        }
        holder.remove();
        return Number.isFinite(smallest) ? round(smallest) : null;
    }
    const graphs = [];
    for (const element of panel.querySelectorAll(graphSelector)) {
        const rect = element.getBoundingClientRect();
        if (!rect.width) continue;
        const area = areaOf(element);
        graphs.push({
            cell: cellOf(element),
            inWidget: element.tagName.toLowerCase() === 'svg',
            width: round(rect.width),
            height: round(rect.height),
            areaWidth: round(area.clientWidth),
            smallestTextPx: await smallestText(element, rect.width),
        });
    }
    const pictures = [...panel.querySelectorAll(pictureSelector)].map((img) => {
        const rect = img.getBoundingClientRect();
        return {cell: cellOf(img), width: round(rect.width), height: round(rect.height),
                naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
                areaWidth: round(img.closest('.jp-OutputArea-output').clientWidth)};
    });
    const widgets = [];
    for (const view of panel.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets')) {
        const controls = [...view.querySelectorAll('.widget-slider, .widget-button, .widget-dropdown')]
            .filter(shown);
        const images = [...view.querySelectorAll('.widget-image, .widget-html svg')].filter(shown);
        if (!controls.length || !images.length) continue;
        const top = Math.min(...controls.map((c) => c.getBoundingClientRect().top));
        const bottom = Math.max(...images.map((i) => i.getBoundingClientRect().bottom));
        const lowestControl = Math.max(...controls.map((c) => c.getBoundingClientRect().bottom));
        widgets.push({cell: cellOf(view), width: round(view.getBoundingClientRect().width),
                      controlsToPictureBottom: round(Math.max(bottom, lowestControl) - top)});
    }
    const sidebar = document.querySelector('#jp-left-stack');
    const scroller = panel.querySelector('.jp-WindowedPanel-outer') || panel.querySelector('.jp-Notebook');
    return {viewport: {width: window.innerWidth, height: window.innerHeight,
                       pixelRatio: window.devicePixelRatio},
            notebookHeight: round(scroller.clientHeight),
            fileBrowserOpen: Boolean(sidebar && sidebar.offsetWidth > 0),
            graphs, pictures, widgets};
}"""


def measure(page) -> dict[str, Any]:
    """Sizes of the graphs, pictures and widget views of the notebook shown (see module doc)."""
    return page.evaluate(MEASURE_JS, [GRAPHS, PICTURES])


def describe(measured: dict[str, Any]) -> str:
    """The measurements as readable lines (for test failures and tools/look.py)."""
    view = measured["viewport"]
    lines = [f"window {view['width']}x{view['height']} (pixel ratio {view['pixelRatio']}), "
             f"file browser {'open' if measured['fileBrowserOpen'] else 'closed'}, "
             f"notebook area {measured['notebookHeight']:g} px high"]
    for graph in measured["graphs"]:
        where = "stepper graph" if graph["inWidget"] else "graph"
        lines.append(f"  cell {graph['cell']}: {where} {graph['width']:g}x{graph['height']:g} px in "
                     f"{graph['areaWidth']:g} px, smallest text {graph['smallestTextPx']} px")
    for picture in measured["pictures"]:
        lines.append(f"  cell {picture['cell']}: picture {picture['naturalWidth']}x"
                     f"{picture['naturalHeight']} shown at {picture['width']:g}x{picture['height']:g}"
                     f" in {picture['areaWidth']:g} px")
    for widget in measured["widgets"]:
        lines.append(f"  cell {widget['cell']}: widget {widget['width']:g} px wide, controls to picture "
                     f"bottom {widget['controlsToPictureBottom']:g} px")
    return "\n".join(lines)


def picture_elements(page) -> list:
    """Locators of every graph and widget view of the notebook shown (for screenshots)."""
    panel = page.locator(".jp-NotebookPanel:visible")
    outputs = panel.locator(".jp-OutputArea-output.jp-RenderedSVG, "
                            ".jp-OutputArea-output:has(> .jupyter-widgets)")
    return [outputs.nth(index) for index in range(outputs.count())]


def graph_problems(measured: dict[str, Any]) -> list[str]:
    """The graphs wider than their output area, or with text under MIN_TEXT_PX as displayed."""
    problems = []
    for graph in measured["graphs"]:
        if graph["width"] > graph["areaWidth"] + 1:
            problems.append(f"cell {graph['cell']}: graph {graph['width']:g} px wide in a "
                            f"{graph['areaWidth']:g} px area")
        small = graph["smallestTextPx"]
        if small is not None and small < MIN_TEXT_PX:
            problems.append(f"cell {graph['cell']}: graph text {small:g} px (< {MIN_TEXT_PX:g})")
    return problems


def unsharp_or_too_big(measured: dict[str, Any]) -> list[str]:
    """Explorer pictures stretched beyond their pixels (blurry), wider than their cell, or widget
    views whose controls and picture do not fit the notebook area together."""
    ratio = max(1.0, measured["viewport"]["pixelRatio"])
    problems = []
    for picture in measured["pictures"]:
        if picture["naturalWidth"] < ratio * picture["width"] - 1:
            problems.append(f"cell {picture['cell']}: a {picture['naturalWidth']} px picture shown "
                            f"{picture['width']:g} px wide at pixel ratio {ratio:g}")
        if picture["width"] > picture["areaWidth"] + 1:
            problems.append(f"cell {picture['cell']}: picture {picture['width']:g} px wide in a "
                            f"{picture['areaWidth']:g} px area")
    for widget in measured["widgets"]:
        if widget["controlsToPictureBottom"] > measured["notebookHeight"]:
            problems.append(f"cell {widget['cell']}: controls to picture bottom "
                            f"{widget['controlsToPictureBottom']:g} px, the notebook shows "
                            f"{measured['notebookHeight']:g} px")
    return problems
