"""One repository address, and everything made from it: README launch links, the website's front page,
the Colab install cell of each chapter (docs/links.py, docs/install_cell.py, docs/build.py).

Fast: no Sphinx, no browser (tests/browser/test_site.py builds and reads the site itself).
"""

from __future__ import annotations

import io
import re
import shutil
import sys
from contextlib import redirect_stdout
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import autodiff_nb  # noqa: E402
from docs import build, install_cell, links  # noqa: E402

README_TEXT = links.README.read_text(encoding="utf-8")
NOTEBOOKS = sorted(links.COURSE.glob("*.ipynb"))


def test_pyproject_names_one_github_repository() -> None:
    address = links.repository_address()
    repo = links.repository()
    assert address.rstrip("/") == repo.url
    try:
        import tomllib
    except ImportError:  # Python 3.10: the regex reading is all there is
        return
    with (ROOT / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    assert project["urls"]["Repository"] == address
    assert project["license"] == "MIT" and "LICENSE" in project["license-files"]
    assert project["authors"] and project["keywords"] and project["classifiers"]


def test_every_imported_third_party_package_is_declared() -> None:
    """Pillow, for one, arrives through matplotlib, but the package imports PIL itself."""
    import ast
    from importlib.metadata import packages_distributions, requires

    imported = set()
    for path in (ROOT / "autodiff_nb").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"autodiff_nb", "__future__"}
    declared = {re.split(r"[\s;<>=!~\[]", line, maxsplit=1)[0].lower().replace("_", "-")
                for line in requires("autodiff_nb") or [] if "extra ==" not in line}
    distributions = packages_distributions()
    for module in sorted(third_party):
        names = {name.lower().replace("_", "-") for name in distributions.get(module, [module])}
        assert names & declared, f"autodiff_nb imports {module} but pyproject.toml does not declare it"


def test_a_bad_address_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="github.com/OWNER/NAME"):
        links.parse_repository("https://gitlab.com/someone/autodiff_nb")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n\n[project.urls]\nHomepage = "https://example.org"\n')
    with pytest.raises(ValueError, match="no Repository"):
        links.repository(pyproject)


def test_readme_course_table_lists_every_chapter_once() -> None:
    listed = [chapter.path for chapter in links.chapters(README_TEXT)]
    assert listed == [f"course/{path.name}" for path in NOTEBOOKS]
    assert [chapter.number for chapter in links.chapters(README_TEXT)] == [p.name[:2] for p in NOTEBOOKS]


def test_readme_launch_links_are_the_ones_generated_from_the_address() -> None:
    """Fails after the address changed until `python3 dev.py site links` is run."""
    assert links.with_links(README_TEXT, links.repository()) == README_TEXT
    repo = links.repository()
    for chapter in links.chapters(README_TEXT):
        assert repo.binder(chapter.path) in README_TEXT and repo.colab(chapter.path) in README_TEXT
    launch = re.findall(r"https://(?:mybinder\.org|colab\.research\.google\.com)/[^)\s]+", README_TEXT)
    launch = [url for url in launch if not url.endswith((".svg", ".png"))]
    expected = {f(chapter.path) for chapter in links.chapters(README_TEXT) for f in (repo.binder, repo.colab)}
    assert set(launch) == expected  # nothing points at another account, branch or notebook


def test_changing_the_address_rewrites_only_the_launch_links() -> None:
    other = links.Repository("someone", "ad-course", "stable")
    changed = links.with_links(README_TEXT, other)
    assert "OWNER" not in changed.split("## Quick start")[0]
    assert changed.count("/someone/ad-course/") == 2 * (len(NOTEBOOKS) + 1)
    assert links.with_links(changed, links.repository()) == README_TEXT  # and back, exactly
    assert re.sub(r"\(https://[^)]+\)", "()", changed) == re.sub(r"\(https://[^)]+\)", "()", README_TEXT)


def test_repository_links() -> None:
    repo = links.Repository("me", "course")
    path = "course/05_forward_mode.ipynb"
    assert repo.binder(path) == "https://mybinder.org/v2/gh/me/course/main?urlpath=lab/tree/" + path
    assert repo.colab(path) == "https://colab.research.google.com/github/me/course/blob/main/" + path
    assert repo.pip_requirement == "autodiff_nb @ git+https://github.com/me/course@main"


# -- the install cell -------------------------------------------------------------------------------

def run_install_cell(source: str, importable: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list]:
    """Run the cell as IPython would (magics transformed); what it printed and the magics it ran."""
    magics: list = []

    class Shell:
        def run_line_magic(self, name: str, line: str) -> None:
            magics.append((name, line))

    if not importable:
        monkeypatch.setitem(sys.modules, "autodiff_nb", None)  # import autodiff_nb -> ImportError
    printed = io.StringIO()
    with redirect_stdout(printed):
        exec(TransformerManager().transform_cell(source), {"get_ipython": lambda: Shell()})
    monkeypatch.setitem(sys.modules, "autodiff_nb", autodiff_nb)
    return printed.getvalue(), magics


def test_install_cell_is_silent_where_the_package_is_and_installs_it_where_it_is_not(
        monkeypatch: pytest.MonkeyPatch) -> None:
    repo = links.repository()
    source = install_cell.install_source(repo)
    assert run_install_cell(source, True, monkeypatch) == ("", [])
    printed, magics = run_install_cell(source, False, monkeypatch)
    assert printed == "" and magics == [("pip", f'install --quiet "{repo.pip_requirement}"')]
    assert source.startswith("# Setup for Colab")


def _without_install_cell(source: Path, target: Path) -> None:
    """A copy of a chapter as it was before the install cell: that cell out, the counts renumbered."""
    notebook = nbformat.read(source, as_version=4)
    notebook.cells = [cell for cell in notebook.cells if not install_cell.is_install_cell(cell)]
    for count, cell in enumerate((c for c in notebook.cells if c.cell_type == "code"), start=1):
        cell.execution_count = count
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                output.execution_count = count
    nbformat.write(notebook, target)


@pytest.fixture
def course_copy(tmp_path: Path) -> list[Path]:
    for notebook in NOTEBOOKS:
        _without_install_cell(notebook, tmp_path / notebook.name)
    return sorted(tmp_path.glob("*.ipynb"))


def test_the_committed_chapters_have_their_install_cell(tmp_path: Path) -> None:
    copies = []
    for notebook in NOTEBOOKS:
        shutil.copy2(notebook, tmp_path / notebook.name)
        copies.append(tmp_path / notebook.name)
    assert install_cell.add_install_cells(copies) == []  # each already has it, first, up to date


def test_install_cell_goes_first_keeps_the_numbering_and_is_added_once(course_copy: list[Path]) -> None:
    before = {path: nbformat.read(path, as_version=4) for path in course_copy}
    assert install_cell.add_install_cells(course_copy) == course_copy
    first = {path: path.read_bytes() for path in course_copy}
    for path in course_copy:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert install_cell.is_install_cell(code[0]) and code[0].outputs == []
        assert sum(install_cell.is_install_cell(cell) for cell in notebook.cells) == 1
        assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
        old = before[path].cells
        assert [cell.source for cell in notebook.cells if not install_cell.is_install_cell(cell)] == \
            [cell.source for cell in old]
        assert notebook.cells.index(code[0]) == next(i for i, c in enumerate(old) if c.cell_type == "code")
    assert install_cell.add_install_cells(course_copy) == []  # idempotent: nothing to do
    assert {path: path.read_bytes() for path in course_copy} == first  # byte for byte


def test_a_new_address_refreshes_the_install_cell_in_place(course_copy: list[Path]) -> None:
    install_cell.add_install_cells(course_copy)
    other = links.Repository("someone", "ad-course")
    assert install_cell.add_install_cells(course_copy, other) == course_copy
    for path in course_copy:
        cells = [c for c in nbformat.read(path, as_version=4).cells if install_cell.is_install_cell(c)]
        assert len(cells) == 1 and other.pip_requirement in cells[0].source


def test_an_unexecuted_notebook_gets_an_unexecuted_install_cell() -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# t"),
                                               nbformat.v4.new_code_cell("x = 1")])
    assert install_cell.add_install_cell(notebook, links.repository())
    assert [cell.execution_count for cell in notebook.cells[1:]] == [None, None]
    assert install_cell.is_install_cell(notebook.cells[1])


# -- the website's sources ----------------------------------------------------------------------------

def test_front_page_has_every_chapter_with_its_launch_links() -> None:
    page = build.front_page(README_TEXT, links.repository())
    repo = links.repository()
    for chapter in links.chapters(README_TEXT):
        assert f"[{chapter.title}]({chapter.path})" in page
        assert repo.binder(chapter.path) in page and repo.colab(chapter.path) in page
        assert f"\n{chapter.docname}\n" in page  # in the navigation tree
    assert build.readme_intro(README_TEXT).startswith("Automatic differentiation built from the ground up")


def test_the_api_reference_covers_every_public_module() -> None:
    pages = build.api_pages()
    for name in ("autodiff_nb", *(f"autodiff_nb.{sub}" for sub in autodiff_nb._SUBMODULES)):
        assert f".. automodule:: {name}\n" in pages[f"api/{name}.rst"]
        assert f"   {name}\n" in pages["api/index.rst"]


def test_web_notebook_drops_the_install_cell_and_notes_widgets_without_a_picture(tmp_path: Path) -> None:
    view = {"model_id": "x", "version_major": 2, "version_minor": 0}
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("w", outputs=[nbformat.v4.new_output(
            "display_data", {build.WIDGET_VIEW: view, "text/plain": "interactive(...)"})]),
        nbformat.v4.new_code_cell("e", outputs=[nbformat.v4.new_output(
            "display_data", {build.WIDGET_VIEW: view, "image/png": "iVBORw0KGgo=", "text/plain": "E"})]),
    ])
    install_cell.add_install_cell(notebook, links.repository())
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    shown = build.web_notebook(path)
    assert [cell.source for cell in shown.cells] == ["w", "e"]
    assert shown.cells[0].outputs[0].data["text/html"] == build.WIDGET_NOTE
    assert "image/png" in shown.cells[1].outputs[0].data  # an explorer keeps its picture


def test_staging_writes_only_what_changed(tmp_path: Path) -> None:
    staged = build.stage(tmp_path)
    assert [chapter.path for chapter in staged] == [f"course/{path.name}" for path in NOTEBOOKS]
    times = {path: path.stat().st_mtime_ns for path in tmp_path.rglob("*") if path.is_file()}
    (tmp_path / "course" / "stale.ipynb").write_text("{}")
    build.stage(tmp_path)
    assert {path: path.stat().st_mtime_ns for path in tmp_path.rglob("*") if path.is_file()} == times
