"""The course notebooks are committed fully executed, top to bottom, in one fresh kernel.

Strict nbval compares each cell's fresh output with the stored one, so a notebook saved
half-run, run out of order, or with an error in it would make that comparison meaningless.
`python3 dev.py notebooks` re-executes them the right way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

COURSE = Path(__file__).resolve().parent.parent / "course"
NOTEBOOKS = sorted(COURSE.glob("*.ipynb"))
FIX = "re-execute it with `python3 dev.py notebooks {name}`"


def code_cells(notebook: Path) -> list[dict]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [cell for cell in cells if cell["cell_type"] == "code"]


def source_of(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def test_the_course_has_notebooks() -> None:
    assert NOTEBOOKS, f"no notebooks found in {COURSE}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_every_code_cell_is_executed_once_in_order(notebook: Path) -> None:
    cells = code_cells(notebook)
    empty = [i for i, cell in enumerate(cells) if not source_of(cell).strip()]
    assert not empty, f"{notebook.name}: empty code cells (delete them): code cells {empty}"
    counts = [cell.get("execution_count") for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        f"{notebook.name}: execution counts are {counts}, expected 1..{len(cells)} in order "
        "(stale or partial run); " + FIX.format(name=notebook.relative_to(COURSE.parent))
    )
    assert all(isinstance(cell.get("outputs"), list) for cell in cells)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_no_cell_stores_an_error(notebook: Path) -> None:
    """Errors only where a chapter shows one on purpose: cells tagged `raises-exception`."""
    for index, cell in enumerate(code_cells(notebook)):
        errors = [out for out in cell.get("outputs", []) if out.get("output_type") == "error"]
        if "raises-exception" in cell.get("metadata", {}).get("tags", []):
            assert errors, (
                f"{notebook.name}, code cell {index}: tagged raises-exception but raised nothing"
            )
            continue
        assert not errors, (
            f"{notebook.name}, code cell {index}: stored error "
            f"{errors[0].get('ename')}: {errors[0].get('evalue')}"
        )
