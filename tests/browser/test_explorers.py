"""Every explorer of autodiff_nb.widgets in real JupyterLab and headless Chromium.

Opens a fresh copy of tests/browser/explorers.ipynb in a laptop's window (1400x900, file browser
open), runs all cells, then drags the derivative explorer's h slider and the playground's learning
rate with the keyboard and clicks the stepper's Next, checking each time that the kernel answered
with a new picture. Every picture is sharp (a pixel per screen pixel at least), fits its cell, and
fits the window together with its controls. A burst of key presses and a surface change on the
playground must end in the picture a fresh playground with the final settings draws, with the
sliders showing those settings. Screenshots of every explorer go to tests/browser/artifacts/
(git-ignored).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from page_layout import LAPTOP, describe, graph_problems, measure, unsharp_or_too_big

# conftest.py adds this marker too; its `page` fixture fails (not skips) without Chromium in CI.
pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
NOTEBOOK = "explorers.ipynb"
ARTIFACTS = HERE / "artifacts"
ANSWER_TIMEOUT_MS = 30_000
# Code cells in explorers.ipynb, by position (cell 0 is the imports).
DERIVATIVE, FD_ERROR, SHALLOW_NET, STEPPER, PLAYGROUND, MONITOR, FRESH_DRAW = range(1, 8)


def code_cell(page, index: int):
    return page.locator(".jp-NotebookPanel:visible .jp-CodeCell").nth(index)


def image_source(cell, nth: int = 0) -> str:
    return cell.locator(".widget-image").nth(nth).get_attribute("src") or ""


def wait_for_new_image(page, cell, before: str, nth: int = 0) -> float:
    """Wait until the cell's nth Image widget shows a picture other than ``before``; seconds."""
    started = time.monotonic()
    cell.locator(".widget-image").nth(nth).wait_for(state="visible")
    page.wait_for_function(
        "([img, before]) => img.getAttribute('src') && img.getAttribute('src') !== before",
        arg=[cell.locator(".widget-image").nth(nth).element_handle(), before],
        timeout=ANSWER_TIMEOUT_MS,
    )
    return time.monotonic() - started


def press_on_slider(slider, key: str, times: int) -> None:
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press(key)


def wait_until_settled(page, view, quiet_s: float = 1.5) -> None:
    """Wait for the kernel to be idle and the view's pictures and readouts to stop changing for
    ``quiet_s`` (widget messages run on a subshell thread, whose work the kernel status may not
    show)."""
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
        timeout=ANSWER_TIMEOUT_MS)
    shown = ("(view) => [...view.querySelectorAll('.widget-image, .widget-readout')]"
             ".map((part) => part.getAttribute('src') || part.textContent).join('|')")
    deadline = time.monotonic() + ANSWER_TIMEOUT_MS / 1000
    last, since = view.evaluate(shown), time.monotonic()
    while time.monotonic() - since < quiet_s:
        assert time.monotonic() < deadline, "the playground kept changing"
        page.wait_for_timeout(250)
        now = view.evaluate(shown)
        if now != last:
            last, since = now, time.monotonic()


def run_code_cell(page, index: int) -> str:
    """Run code cell ``index`` of the notebook shown again and return its output text."""
    cell = code_cell(page, index)
    prompt = cell.locator(".jp-InputPrompt").inner_text()
    page.evaluate(
        """(index) => {
            const panel = window.jupyterapp.shell.currentWidget;
            const cells = panel.content.widgets;
            const codeCells = cells.filter((cell) => cell.model.type === 'code');
            panel.content.activeCellIndex = cells.indexOf(codeCells[index]);
            window.jupyterapp.commands.execute('notebook:run-cell');
        }""",
        index,
    )
    page.wait_for_function(
        """([prompt, before]) => { const text = prompt.textContent;
                                   return text !== before && !text.includes('*'); }""",
        arg=[cell.locator(".jp-InputPrompt").element_handle(), prompt],
        timeout=ANSWER_TIMEOUT_MS,
    )
    return cell.locator(".jp-OutputArea").inner_text()


def test_every_explorer_runs_and_answers_in_the_browser(jupyter_lab, run_notebook, page) -> None:
    shutil.copy(HERE / NOTEBOOK, jupyter_lab.root_dir / NOTEBOOK)  # a fresh copy every run
    page.set_viewport_size(LAPTOP)
    run = run_notebook(NOTEBOOK)
    print("console errors:", run.console_errors)

    assert "Traceback" not in run.text
    assert "Error displaying widget" not in run.text
    assert "Loading widget" not in run.text
    stderr = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    assert page.locator(stderr).count() == 0

    # Every explorer drew its picture(s): 1 + 1 + 1 + 0 (the stepper shows SVG) + 2 + 1.
    for index, pictures in ((DERIVATIVE, 1), (FD_ERROR, 1), (SHALLOW_NET, 1), (PLAYGROUND, 2),
                            (MONITOR, 1)):
        cell = code_cell(page, index)
        assert cell.locator(".widget-image").count() == pictures, f"code cell {index}"
        for nth in range(pictures):
            assert image_source(cell, nth).startswith("blob:"), f"code cell {index} image {nth}"
    assert "demo: step 40/40" in code_cell(page, MONITOR).inner_text()
    shown = measure(page)
    print(describe(shown))
    problems = graph_problems(shown) + unsharp_or_too_big(shown)
    assert not problems, "; ".join(problems) + "\n" + describe(shown)
    assert {picture["naturalWidth"] / picture["width"] for picture in shown["pictures"]} == {2.0}
    ARTIFACTS.mkdir(exist_ok=True)
    for name, index in (("derivative", DERIVATIVE), ("fd_error", FD_ERROR),
                        ("shallow_net", SHALLOW_NET), ("stepper", STEPPER),
                        ("playground", PLAYGROUND), ("monitor", MONITOR)):
        code_cell(page, index).screenshot(path=str(ARTIFACTS / f"explorer_{name}_before.png"))

    # Derivative explorer: the h slider (the second slider) four steps left: h 0.5 -> 0.05.
    derivative = code_cell(page, DERIVATIVE)
    h_slider = derivative.locator(".widget-slider").nth(1)  # x, then h
    readout = h_slider.locator(".widget-readout")
    assert readout.inner_text().strip() == "5.0e-1"
    before = image_source(derivative)
    press_on_slider(h_slider, "ArrowLeft", 4)
    seconds = wait_for_new_image(page, derivative, before)
    print(f"derivative explorer answered a slider move in {seconds:.2f} s")
    derivative.locator(".widget-readout", has_text="5.0e-2").wait_for(timeout=ANSWER_TIMEOUT_MS)
    derivative.locator("td", has_text="0.5190448").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    derivative.screenshot(path=str(ARTIFACTS / "explorer_derivative_after.png"))

    # Stepper: Next highlights the output node e and fills in the first row of the table.
    stepper = code_cell(page, STEPPER)
    assert stepper.locator(".widget-html svg").count() == 1  # Graphviz SVG, inline
    assert stepper.locator("svg polygon[fill='#ffd54f']").count() == 0
    stepper.get_by_role("button", name="Next ▶").click()
    stepper.get_by_text("Step 1/5").wait_for(timeout=ANSWER_TIMEOUT_MS)
    stepper.locator("svg polygon[fill='#ffd54f']").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    stepper.get_by_role("button", name="Next ▶").click()
    stepper.get_by_text("Step 2/5: c = a·b").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "∂e/∂c" in stepper.inner_text()
    # Each finished node shows its adjoint in its box; c, highlighted now, too.
    for note in ("∂e/∂e = 1", "∂e/∂c = 4"):
        stepper.locator(".widget-html svg text", has_text=note).wait_for(
            state="attached", timeout=ANSWER_TIMEOUT_MS)
    # The table: compact rows, a gap between columns, the caption on one line.
    table = stepper.evaluate("""(view) => {
        const table = view.querySelector('table.autodiff-trace');
        const rows = [...table.querySelectorAll('tbody tr')].map((row) => row.getBoundingClientRect().height);
        const cells = [...table.querySelectorAll('tbody tr:first-child td')];
        const caption = table.querySelector('caption');
        const lineHeight = parseFloat(getComputedStyle(caption).fontSize) * 1.6;
        return {tallest: Math.max(...rows), fontSize: parseFloat(getComputedStyle(table).fontSize),
                gaps: cells.map((cell) => parseFloat(getComputedStyle(cell).paddingRight)),
                captionLines: caption.getBoundingClientRect().height / lineHeight};
    }""")
    print("stepper table:", table)
    assert table["tallest"] <= 1.8 * table["fontSize"], table  # no 30 px rows
    assert table["captionLines"] < 1.5, table  # the title does not wrap inside its formula
    assert min(table["gaps"]) >= 10, table  # a gap after every column: tangent and rule apart
    stepper.screenshot(path=str(ARTIFACTS / "explorer_stepper_after.png"))

    # Playground: learning rate up until the ravine makes GD diverge; both pictures change.
    playground = code_cell(page, PLAYGROUND)
    lr_slider = playground.locator(".widget-slider", has_text="learning rate")
    contour_before, losses_before = image_source(playground, 0), image_source(playground, 1)
    press_on_slider(lr_slider, "ArrowRight", 4)  # 0.15 -> 0.24, past 2 / 10 (the steep curvature)
    wait_for_new_image(page, playground, contour_before, 0)
    wait_for_new_image(page, playground, losses_before, 1)
    playground.get_by_text("GD: diverged at step").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    lines = playground.inner_text().splitlines()
    assert sum(line.startswith("GD: diverged at step") for line in lines) == 1  # said once
    playground.screenshot(path=str(ARTIFACTS / "explorer_playground_after.png"))

    # A burst: keys as fast as Playwright presses them, then a new surface before the kernel caught
    # up. The kernel compares its pictures with a fresh playground's in the final state.
    start_slider = playground.locator(".widget-slider", has_text="start φ₀")
    press_on_slider(lr_slider, "ArrowLeft", 12)
    press_on_slider(start_slider, "ArrowRight", 8)
    playground.locator(".widget-dropdown select").select_option(index=2)
    press_on_slider(lr_slider, "ArrowRight", 3)
    wait_until_settled(page, playground)
    answer = run_code_cell(page, FRESH_DRAW)
    print(answer)
    assert "fresh draw: same" in answer
    settings = dict(part.strip().split("=", 1) for part in answer.strip().split("|")[1:])
    surface_title = playground.locator(".widget-dropdown select option:checked").inner_text()
    surface_title = surface_title.replace("\xa0", " ")  # ipywidgets writes spaces as &nbsp;
    assert settings["surface"] == surface_title
    for control, name in ((lr_slider, "learning rate"), (start_slider, "start φ₀")):
        readout = control.locator(".widget-readout").inner_text().strip().replace("\u2212", "-")
        assert float(readout) == pytest.approx(float(settings[name]), rel=5e-3, abs=5e-3), name
    playground.screenshot(path=str(ARTIFACTS / "explorer_playground_burst.png"))

    text = page.locator(".jp-NotebookPanel:visible").inner_text()
    assert "Traceback" not in text and "Error displaying widget" not in text
    page.screenshot(path=str(ARTIFACTS / "explorers.png"), full_page=True)
