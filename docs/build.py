"""Build the course website: ``python3 dev.py site`` (the pages in _site/html/, git-ignored).

Sphinx with myst-nb reads the committed, executed notebooks as they are (no cell is run), with the
configuration in docs/conf.py. The sources Sphinx reads are staged in _site/source/ first:

* ``index.md``, the front page: the README's title, first paragraph and course table (each chapter
  linked to its page, with Binder and Colab links);
* ``course/NN_*.ipynb``, copies of the chapters without the Colab install cell (it means nothing on
  a web page), and with a note in place of any widget that carries no picture of itself;
* ``api/*.rst``, one page per public module, generated from the docstrings by autodoc.

The page of ``course/NN_x.ipynb`` is ``course/NN_x.html``, the path of the notebook in the
repository, so the theme's launch buttons open the right notebook.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from .install_cell import is_install_cell
from .links import README, ROOT, Chapter, Repository, chapters, repository

DOCS = ROOT / "docs"
# Everything the build writes is under _site/ (myst-nb also writes _site/jupyter_execute/, next to
# the pages: it puts its output folder beside Sphinx's).
SITE = ROOT / "_site" / "html"
STAGE = ROOT / "_site" / "source"
DOCTREES = ROOT / "_site" / "doctrees"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<p class="widget-note">An interactive widget was here: open this chapter in Jupyter '
    "(the Binder or Colab button at the top of the page) to use it.</p>"
)
API_MODULES = {
    "autodiff_nb": "Engines, functions and transformations",
    "autodiff_nb.nn": "Models",
    "autodiff_nb.losses": "Losses",
    "autodiff_nb.optim": "Optimizers",
    "autodiff_nb.data": "Data",
    "autodiff_nb.symbolic": "Symbolic differentiation",
    "autodiff_nb.viz": "Pictures and tables",
    "autodiff_nb.widgets": "Interactive explorers",
    "autodiff_nb.explore": "The explorers' computations, without widgets",
    "autodiff_nb.exercises": "Exercises",
}
SUBMODULES = ("nn", "losses", "optim", "data", "symbolic", "viz", "widgets")


def readme_intro(readme_text: str) -> str:
    """The README's first paragraph (after the title)."""
    body = readme_text.split("\n", 1)[1]
    return next(part for part in re.split(r"\n\s*\n", body) if part.strip()).strip()


def front_page(readme_text: str, repo: Repository) -> str:
    """index.md: title, the README's introduction, the course table and the navigation tree."""
    course = chapters(readme_text)
    rows = [f"| {chapter.number} | [{chapter.title}]({chapter.path}) | "
            f"[Binder]({repo.binder(chapter.path)}) · [Colab]({repo.colab(chapter.path)}) |"
            for chapter in course]
    tree = "\n".join(chapter.docname for chapter in course)
    return f"""# autodiff_nb

{readme_intro(readme_text)}

Each chapter below is a Jupyter notebook, shown here with its outputs. Its page has buttons to
run it on Binder or Colab; the interactive explorers work only there (or in a local Jupyter), and
this site shows a picture of each.

## Course

| # | Chapter | Run it |
|---|---|---|
{chr(10).join(rows)}

The library itself is described in the [API reference](api/index.rst). Source code:
[{repo.url}]({repo.url}). Licence: MIT for the code, CC BY 4.0 for the course text and figures.

```{{toctree}}
:hidden:
:caption: Course

{tree}
```

```{{toctree}}
:hidden:
:caption: Library

api/index
```
"""


def documented_elsewhere(module_name: str) -> dict[str, str]:
    """Names ``module_name`` re-exports from another module of the reference -> that module (each
    object is described once, where it is defined; two descriptions would be a Sphinx warning)."""
    module = importlib.import_module(module_name)
    elsewhere = {}
    for name in getattr(module, "__all__", []):
        home = getattr(getattr(module, name, None), "__module__", None) or ""
        owner = max((other for other in API_MODULES if other not in (module_name, "autodiff_nb")
                     and (home == other or home.startswith(other + "."))
                     and name in getattr(importlib.import_module(other), "__all__", [])),
                    key=len, default=None)
        if owner is not None:
            elsewhere[name] = owner
    return elsewhere


def api_pages() -> dict[str, str]:
    """api/index.rst and one autodoc page per public module."""
    pages = {}
    for module, title in API_MODULES.items():
        heading = f"``{module}``: {title}"
        elsewhere = documented_elsewhere(module)
        excluded = [*(SUBMODULES if module == "autodiff_nb" else ()), *elsewhere]
        exclude = f"\n   :exclude-members: {', '.join(excluded)}" if excluded else ""
        also = "".join(f"\n\nAlso importable from here: {', '.join(f'``{name}``' for name in names)} "
                       f"(described in :mod:`{owner}`)."
                       for owner in sorted(set(elsewhere.values()))
                       for names in [[name for name, home in elsewhere.items() if home == owner]])
        pages[f"api/{module}.rst"] = (
            f"{heading}\n{'=' * len(heading)}\n\n.. automodule:: {module}\n   :members:{exclude}{also}\n"
        )
    entries = "\n".join(f"   {module}" for module in API_MODULES)
    pages["api/index.rst"] = (
        "API reference\n=============\n\nGenerated from the docstrings of the package's public modules.\n\n"
        f".. toctree::\n   :maxdepth: 1\n\n{entries}\n"
    )
    return pages


def web_notebook(path: Path) -> nbformat.NotebookNode:
    """A chapter as the website shows it: no install cell; a note where a widget has no picture."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [cell for cell in notebook.cells if not is_install_cell(cell)]
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and not any(mime.startswith("image/") for mime in data):
                output["data"] = {"text/html": WIDGET_NOTE, "text/plain": data.get("text/plain", "")}
    return notebook


def stage(stage_dir: Path = STAGE) -> list[Chapter]:
    """Write the sources Sphinx reads into ``stage_dir``; the chapters staged."""
    readme_text = README.read_text(encoding="utf-8")
    course = chapters(readme_text)
    missing = [chapter.path for chapter in course if not (ROOT / chapter.path).is_file()]
    if missing:
        raise FileNotFoundError(f"README.md's course table names notebooks that do not exist: {missing}")
    pages = {"index.md": front_page(readme_text, repository()), **api_pages()}
    for chapter in course:
        pages[chapter.path] = nbformat.writes(web_notebook(ROOT / chapter.path)) + "\n"
    for stale in [path for path in stage_dir.rglob("*") if path.is_file()]:
        if stale.relative_to(stage_dir).as_posix() not in pages:
            stale.unlink()
    for name, text in pages.items():  # unchanged files keep their time: Sphinx rebuilds only the rest
        path = stage_dir / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return course


def build(out: Path = SITE, *, stage_dir: Path = STAGE, doctrees: Path = DOCTREES,
          python: str = sys.executable) -> subprocess.CompletedProcess:
    """Stage the sources and run Sphinx (HTML) into ``out``; the finished Sphinx process."""
    stage(stage_dir)
    command = [python, "-m", "sphinx", "-b", "html", "-q", "-c", str(DOCS), "-d", str(doctrees),
               str(stage_dir), str(out)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def main(argv: list[str]) -> int:
    """``site`` builds the website; ``site links`` rewrites the README's launch links and the
    notebooks' install cells from pyproject.toml's repository address."""
    if argv[:1] == ["links"]:
        from .install_cell import add_install_cells
        from .links import update_readme

        repo = repository()
        changed = (["README.md"] if update_readme(repo=repo) else []) + [
            str(path.relative_to(ROOT)) for path in add_install_cells(repo=repo)]
        print(f"links for {repo.url} (branch {repo.branch}): "
              + (f"updated {', '.join(changed)}" if changed else "everything was up to date"))
        return 0
    if argv:
        print(__doc__.strip(), "\n\nusage: python3 dev.py site [links]", file=sys.stderr)
        return 2
    started = time.monotonic()
    done = build()
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        print(f"sphinx failed with exit code {done.returncode}", file=sys.stderr)
        return done.returncode
    print(f"website built in {time.monotonic() - started:.1f} s: {SITE / 'index.html'} "
          f"(open it in a browser; it needs no network)")
    return 0
