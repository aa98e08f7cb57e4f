"""Chapter 00 opened and run in real JupyterLab, as a learner would."""

from __future__ import annotations


def test_chapter_00_runs_cleanly_and_its_slider_responds(run_notebook, page) -> None:
    run = run_notebook("00_how_to_use.ipynb")

    assert run.completed, "Run All stopped at a failing cell"
    assert "Traceback" not in run.text
    assert "Error displaying widget" not in run.text
    assert not run.console_errors
    stderr_outputs = page.locator("[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr_outputs.count() == 0, "a cell wrote to stderr (a warning?)"

    # Moving the first slider one step makes its interact callback print something new.
    slider = page.locator(".widget-slider").first
    output = page.locator(".widget-output").first
    before = output.inner_text()
    assert before.strip(), "the interact output is empty after Run All"
    slider.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(before) => document.querySelector('.widget-output').innerText !== before",
        arg=before,
        timeout=15_000,
    )
