"""The first code cell of every chapter: install the course package where it is missing (Colab).

Locally (``python3 dev.py course``), on Binder and under the tests the package is installed, the
import succeeds and the cell prints nothing, so strict nbval and the stored outputs are unchanged.
On Colab the import fails and the cell pip-installs the package from the repository address.

``add_install_cell`` is idempotent: a notebook that already has the cell (found by its tag) gets
its source refreshed in place (the address may have changed); otherwise the cell goes in just
before the first code cell. A notebook stored fully executed (counts 1..n) stays so: the new cell
gets count 1 and the others move up by one, exactly as re-executing it would number them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import nbformat

from .links import COURSE, Repository, repository

TAG = "install-if-missing"
CELL_ID = "install-if-missing"


def install_source(repo: Repository) -> str:
    return (
        "# Setup for Colab and other hosted Jupyter: install the course package if it is missing.\n"
        "# Where autodiff_nb is installed already (python3 dev.py course, Binder) this does nothing.\n"
        "try:\n"
        "    import autodiff_nb\n"
        "except ImportError:\n"
        f'    %pip install --quiet "{repo.pip_requirement}"'
    )


def is_install_cell(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and TAG in cell.get("metadata", {}).get("tags", [])


def _executed_in_order(code_cells: list) -> bool:
    counts = [cell.get("execution_count") for cell in code_cells]
    return bool(counts) and counts == list(range(1, len(counts) + 1))


def add_install_cell(notebook: nbformat.NotebookNode, repo: Repository) -> bool:
    """Put the install cell into ``notebook`` (or refresh it); True if the notebook changed."""
    source = install_source(repo)
    existing = [cell for cell in notebook.cells if is_install_cell(cell)]
    if existing:
        changed = any(cell.source != source for cell in existing)
        for cell in existing:
            cell.source = source
        return changed
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    executed = _executed_in_order(code_cells)
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": [TAG]})
    cell.id = CELL_ID
    if executed:
        for other in code_cells:
            other.execution_count += 1
            for output in other.outputs:
                if output.get("output_type") == "execute_result":
                    output.execution_count = other.execution_count
        cell.execution_count = 1
    first_code = next((i for i, other in enumerate(notebook.cells) if other.cell_type == "code"),
                      len(notebook.cells))
    notebook.cells.insert(first_code, cell)
    return True


def add_install_cells(paths: Iterable[Path] | None = None, repo: Repository | None = None) -> list[Path]:
    """``add_install_cell`` on each notebook (default: course/*.ipynb); the paths it changed."""
    repo = repo or repository()
    changed = []
    for path in sorted(COURSE.glob("*.ipynb")) if paths is None else paths:
        notebook = nbformat.read(path, as_version=4)
        if add_install_cell(notebook, repo):
            nbformat.validate(notebook)
            nbformat.write(notebook, path)
            changed.append(Path(path))
    return changed
