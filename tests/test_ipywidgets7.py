"""The explorers under ipywidgets 7.7.1, the version Colab ships (pyproject: ipywidgets>=7.7.1).

The rest of the test run uses ipywidgets 8. Here ipywidgets 7.7.1 is installed from the registry
(without dependencies: everything else it needs is already in this environment, at the versions a
fresh install would pick) into a temporary folder put first on PYTHONPATH. Then
* the explorer tests (tests/test_widget*.py) run again against it, in a separate pytest process;
* a kernel displays every explorer, once with 7.7.1 and once with this environment's ipywidgets:
  each display must be one output carrying the widget view, the text and the picture.
Only the Python side can be tested here; Colab's front end (its own widget manager for 7.x) cannot.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
COLAB_IPYWIDGETS = "7.7.1"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
EXPLORERS = """\
import numpy as np
from autodiff_nb import widgets
derivative = widgets.derivative_explorer(f=np.sin, x=1.0)
display(derivative)
display(widgets.fd_error_explorer())
display(widgets.shallow_net_explorer())
display(widgets.backprop_stepper())
widgets.optimizer_playground()
"""
TRAINING = """\
monitor = widgets.TrainingMonitor(30, title="test")
for step in range(30):
    monitor.update(step, 1.0 / (step + 1))
monitor.close()
derivative.h_slider.value = 1e-3
assert derivative.explorer.h == 1e-3
import ipywidgets
print(ipywidgets.__version__)
"""


@pytest.fixture(scope="module")
def ipywidgets7(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("ipywidgets7")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--target", str(target), f"ipywidgets=={COLAB_IPYWIDGETS}", "ipython_genutils==0.2.0"],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, f"pip could not install ipywidgets {COLAB_IPYWIDGETS}:\n{done.stderr}"
    return target


def with_path(first: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if first is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(first), *filter(None, [env.get("PYTHONPATH")])])
    return env


def test_the_explorer_tests_pass_under_ipywidgets_7(ipywidgets7: Path) -> None:
    env = with_path(ipywidgets7)
    version = subprocess.run([sys.executable, "-c", "import ipywidgets; print(ipywidgets.__version__)"],
                             env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert version == COLAB_IPYWIDGETS
    tests = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests").glob("test_widget*.py"))
    assert "tests/test_widget_pictures.py" in tests
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning",
         *tests],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert done.returncode == 0, f"explorer tests under ipywidgets {version}:\n{done.stdout[-6000:]}"
    assert " passed" in done.stdout.splitlines()[-1]


@pytest.mark.parametrize("which", ["7.7.1", "installed"])
def test_every_explorer_displays_with_its_picture_in_a_kernel(which: str, ipywidgets7: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    env = with_path(ipywidgets7 if which == "7.7.1" else None)
    monkeypatch.setenv("PYTHONPATH", env.get("PYTHONPATH", ""))  # the kernel inherits it
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(EXPLORERS),
                                               nbformat.v4.new_code_cell(TRAINING)])
    NotebookClient(notebook, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    explorers, training = notebook.cells
    # A cell's last value: an execute_result with ipywidgets 8; ipywidgets 7 always displays widgets
    # through their _ipython_display_, which makes it a display_data.
    last = "display_data" if which == "7.7.1" else "execute_result"
    assert [output.output_type for output in explorers.outputs] == ["display_data"] * 4 + [last]
    outputs = [*explorers.outputs, *(o for o in training.outputs if o.output_type == "display_data")]
    assert len(outputs) == 6  # the monitor's display, its final picture put in place by close()
    for output in outputs:
        assert {"text/plain", WIDGET_VIEW, "image/png"} <= set(output.data), output.data.get("text/plain")
        assert base64.b64decode(output.data["image/png"]).startswith(b"\x89PNG")
    printed = "".join(o.text for o in training.outputs if o.output_type == "stream")
    if which == "7.7.1":
        assert printed.strip() == COLAB_IPYWIDGETS
    else:
        assert printed.strip().startswith("8.")
