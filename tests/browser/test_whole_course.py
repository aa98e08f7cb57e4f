"""Every chapter of the course, opened and run in real JupyterLab in headless Chromium.

One JupyterLab server (over a fresh copy of course/) and one browser page serve the whole module;
each chapter is opened in that JupyterLab with a fresh kernel, and closed, kernel shut down, when
its test is done (about 6 s a chapter). A chapter passes when Run All went through every cell in
order, nothing shows an error (a traceback, an error or stderr output, "Error displaying widget"),
every cell shows the outputs the committed notebook has, and each widget answers: one step of its
first slider, or a click on Next, makes the kernel redraw it. The window is a laptop's (1400x900,
file browser open): every computation graph fits its output area with text of at least 9 px, every
explorer picture has at least one pixel per screen pixel and fits its cell, and each explorer's
controls and picture fit the notebook area together (layout.py measures them). Screenshots:
tests/browser/artifacts/<chapter>.png (git-ignored).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from page_layout import LAPTOP, describe, graph_problems, measure, unsharp_or_too_big

pytestmark = pytest.mark.browser  # conftest.py adds it too; explicit for readers

COURSE = Path(__file__).resolve().parents[2] / "course"
CHAPTERS = sorted(path.name for path in COURSE.glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
ANSWER_TIMEOUT_MS = 30_000
# Anywhere in the notebook, widget outputs included: an error, or a warning written to stderr.
PROBLEM_OUTPUTS = ", ".join(
    f".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.{kind}']" for kind in ("error", "stderr")
)

# The mimetype JupyterLab renders when an output offers several, best first.
PREFERRED_MIMETYPES = (
    WIDGET_VIEW,
    "application/javascript",
    "text/html",
    "text/markdown",
    "text/latex",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "image/gif",
    "application/json",
    "text/plain",
)

# A cell's own outputs; those that widgets show inside themselves are not among them.
CELL_OUTPUTS = ".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output"
WIDGET_VIEWS = f"{CELL_OUTPUTS}:has(> .jupyter-widgets)"  # a widget view has no data-mime-type

# Per code cell: its prompt and the mimetype of each output (the committed notebook stores no
# widget state, so what widgets show inside themselves is not compared).
SHOWN_OUTPUTS_JS = f"""() => {{
    const panel = window.jupyterapp.shell.currentWidget;
    return [...panel.node.querySelectorAll('.jp-CodeCell')].map((cell) => ({{
        prompt: cell.querySelector('.jp-InputPrompt').textContent.trim(),
        mimetypes: [...cell.querySelectorAll('{CELL_OUTPUTS}')].map((output) =>
            output.dataset.mimeType
            || (output.querySelector(':scope > .jupyter-widgets') ? '{WIDGET_VIEW}' : 'unknown')),
    }}));
}}"""

# What the kernel draws in a widget view (printed output, pictures, HTML), not what the browser
# changes by itself when a control moves (a slider's readout).
KERNEL_DRAWN_JS = """(view) => [...view.querySelectorAll('.widget-output, .widget-image, .widget-html')]
    .map((part) => part.tagName === 'IMG' ? part.getAttribute('src') : part.innerHTML)
    .join('\\n')"""


def stored_outputs(chapter: str) -> list[list[str]]:
    """Per code cell of the committed notebook: the mimetype JupyterLab shows for each output."""
    notebook = json.loads((COURSE / chapter).read_text(encoding="utf-8"))
    cells = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        mimetypes = []
        for output in cell["outputs"]:
            if output["output_type"] == "stream":
                mimetypes.append(f"application/vnd.jupyter.{output['name']}")
            elif output["output_type"] == "error":
                mimetypes.append("application/vnd.jupyter.error")
            else:
                offered = output.get("data", {})
                mimetypes.append(next(mime for mime in PREFERRED_MIMETYPES if mime in offered))
        cells.append(mimetypes)
    return cells


def nudge(view) -> bool:
    """Move the view's first slider one step right, or click its Next button. False: no control."""
    handles = view.locator(".noUi-handle")
    if handles.count():
        handles.first.focus()
        handles.first.press("ArrowRight")
        return True
    next_buttons = view.locator("button", has_text="Next")
    if next_buttons.count():
        next_buttons.first.click()
        return True
    return False


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_cleanly_in_jupyterlab(chapter: str, module_run_notebook, module_page) -> None:
    module_page.set_viewport_size(LAPTOP)
    run = module_run_notebook(chapter)
    notebook = module_page.locator(".jp-NotebookPanel:visible")

    assert not run.modified_after_open, f"{chapter} was marked modified on opening (its kernelspec?)"
    assert run.completed, f"Run All stopped at a failing cell; see {run.screenshot}"
    if "check(" in (COURSE / chapter).read_text(encoding="utf-8"):  # untouched exercises, in words
        assert "⏳ Not done yet" in run.text, f"{chapter}: no 'Not done yet' feedback after Run All"
    for problem in ("Traceback", "Error displaying widget", "Loading widget"):
        assert problem not in run.text, f"{problem!r} shows in {chapter}; see {run.screenshot}"
    assert notebook.locator(PROBLEM_OUTPUTS).count() == 0, f"an error or stderr output; see {run.screenshot}"
    shown = module_page.evaluate(SHOWN_OUTPUTS_JS)
    expected = stored_outputs(chapter)
    assert [cell["prompt"] for cell in shown] == [f"[{n}]:" for n in range(1, len(expected) + 1)], (
        "every code cell runs once, in order, in a fresh kernel"
    )
    for index, (cell, stored) in enumerate(zip(shown, expected)):
        assert cell["mimetypes"] == stored, f"{chapter}, code cell {index}: shown vs committed outputs"
    assert not run.console_errors, f"browser console errors: {run.console_errors}"

    shown = measure(module_page)
    problems = graph_problems(shown) + unsharp_or_too_big(shown)
    assert not problems, f"{chapter}: " + "; ".join(problems) + "\n" + describe(shown)

    views = notebook.locator(WIDGET_VIEWS)
    for index in range(views.count()):
        view = views.nth(index)
        before = view.evaluate(KERNEL_DRAWN_JS)
        if nudge(view):
            module_page.wait_for_function(
                f"([view, before]) => ({KERNEL_DRAWN_JS})(view) !== before",
                arg=[view.element_handle(), before],
                timeout=ANSWER_TIMEOUT_MS,
            )
    assert notebook.locator(PROBLEM_OUTPUTS).count() == 0, f"{chapter}: a widget's answer shows an error"
    after = measure(module_page)  # a stepper one step on: a highlighted node, its number in its box
    problems = graph_problems(after) + unsharp_or_too_big(after)
    assert not problems, f"{chapter} after the widgets answered: " + "; ".join(problems)
    assert "Traceback" not in notebook.inner_text()
