"""``python -m autodiff_nb`` reports version, course and Graphviz."""

import subprocess
import sys

import autodiff_nb


def test_module_entry_point_reports_version_course_and_graphviz():
    command = [sys.executable, "-m", "autodiff_nb"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert f"autodiff_nb {autodiff_nb.__version__}" in out
    assert "course:" in out and "00_" not in out.split("course:")[0]
    assert "graphviz:" in out
