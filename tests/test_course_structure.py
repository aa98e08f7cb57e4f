"""The course reads as one course: every chapter in the table of 00, one header style, previous/next
links that resolve, the last chapter back to the start (tools/course_headers.py writes the style:
`python3 dev.py headers`)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tools import course_headers
from tools.course_headers import Chapter, navigation

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
CHAPTER_FILE = re.compile(r"^(\d\d)_[\w-]+\.ipynb$")
LINK = re.compile(r"\]\(((\d\d_[\w-]+\.ipynb)(#[^)]*)?)\)")
RUN_THE_SCRIPT = "run `python3 dev.py headers` to write the header style"


def markdown_cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [course_headers.cell_text(cell) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]


# -- the real course --------------------------------------------------------------------------------

def test_the_course_table_lists_every_chapter_in_order() -> None:
    chapters = course_headers.course_table(COURSE)
    files = sorted(path.name for path in COURSE.glob("*.ipynb"))
    assert [chapter.file for chapter in chapters] == files
    assert [chapter.number for chapter in chapters] == [f"{n:02d}" for n in range(len(files))]
    for chapter in chapters:
        assert CHAPTER_FILE.match(chapter.file).group(1) == chapter.number


def test_every_chapter_has_the_header_style() -> None:
    assert course_headers.restyle(COURSE, write=False) == [], RUN_THE_SCRIPT


@pytest.mark.parametrize("index, chapter", [
    pytest.param(index, chapter, id=chapter.number)
    for index, chapter in enumerate(course_headers.course_table(COURSE))])
def test_title_and_navigation_of_each_chapter(index: int, chapter: Chapter) -> None:
    chapters = course_headers.course_table(COURSE)
    path = COURSE / chapter.file
    notebook = json.loads(path.read_text(encoding="utf-8"))
    first = markdown_cells(path)[0].split("\n")
    assert re.fullmatch(rf"# {chapter.number} · \S.*", first[0]), f"{chapter.file}: {RUN_THE_SCRIPT}"
    nav = navigation(chapters, index)
    assert first[1:3] == ["", nav], f"{chapter.file}: {RUN_THE_SCRIPT}"
    last = course_headers.cell_text(notebook["cells"][-1]).rstrip("\n").split("\n")[-1]
    assert last == nav, f"{chapter.file}: its last line should be the navigation; {RUN_THE_SCRIPT}"
    targets = [match.group(2) for match in LINK.finditer(nav)]
    following = chapters[index + 1] if index + 1 < len(chapters) else chapters[0]
    assert targets[-1] == following.file  # every chapter links to the next; the last to the start
    if index:
        assert targets[0] == chapters[index - 1].file
    for target in targets:
        assert (COURSE / target).is_file()


@pytest.mark.parametrize("path", sorted(COURSE.glob("*.ipynb")), ids=lambda path: path.stem[:2])
def test_sections_are_numbered_one_way_and_in_order(path: Path) -> None:
    numbers = []
    for text in markdown_cells(path):
        for line in text.split("\n"):
            if re.match(r"^## \d", line):
                match = re.match(r"^## (\d+)\. \S", line)
                assert match, f"{path.name}: {line!r} is not '## N. Title'; {RUN_THE_SCRIPT}"
                numbers.append(int(match.group(1)))
    assert numbers == list(range(1, len(numbers) + 1)), f"{path.name}: sections {numbers}"


def test_every_link_to_a_chapter_resolves() -> None:
    broken = []
    for path in sorted(COURSE.glob("*.ipynb")):
        for text in markdown_cells(path):
            broken += [f"{path.name} -> {match.group(1)}" for match in LINK.finditer(text)
                       if not (COURSE / match.group(2)).is_file()]
    assert broken == []


# -- the script, on a small course of its own ---------------------------------------------------------

def write_notebook(path: Path, cells: list[tuple[str, str]]) -> None:
    notebook = {"cells": [{"cell_type": kind, "id": f"c{index}", "metadata": {},
                           "source": [line for line in re.split(r"(?<=\n)", text) if line],
                           **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                          for index, (kind, text) in enumerate(cells)],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(course_headers.notebook_text(notebook), encoding="utf-8")


def small_course(root: Path) -> Path:
    course = root / "course"
    course.mkdir()
    write_notebook(course / "00_how_to_use.ipynb", [
        ("markdown", "# Start here\n\nWelcome."),
        ("markdown", "## 1 · Chapters\n\n| # | Chapter |\n|---|---|\n"
                     "| 00 | [Start](00_how_to_use.ipynb) |\n| 01 | [First steps](01_first.ipynb) |\n"
                     "| 02 | [Last words](02_last.ipynb) |"),
    ])
    write_notebook(course / "01_first.ipynb", [
        ("markdown", "# 1. First steps, in detail\n\n"
                     "[← old](00_how_to_use.ipynb) · [old →](02_last.ipynb)\n\nText."),
        ("markdown", "## 1 · One\n\n## 2. Two"),
        ("code", "x = 1"),
    ])
    write_notebook(course / "02_last.ipynb", [("markdown", "# 02 · Last words\n\nThe end.")])
    return course


def test_the_script_writes_titles_navigation_and_section_numbers(tmp_path: Path) -> None:
    course = small_course(tmp_path)
    assert course_headers.main(["--check"], course) == 1  # would change, changed nothing
    assert course_headers.restyle(course, write=False) == ["00_how_to_use.ipynb", "01_first.ipynb",
                                                            "02_last.ipynb"]
    assert course_headers.main([], course) == 0
    first = markdown_cells(course / "01_first.ipynb")
    nav = "[← 00 · Start](00_how_to_use.ipynb) · [02 · Last words →](02_last.ipynb)"
    assert first[0] == f"# 01 · First steps, in detail\n\n{nav}\n\nText."  # old links replaced
    assert first[1] == "## 1. One\n\n## 2. Two"  # numbered one way
    notebook = json.loads((course / "01_first.ipynb").read_text(encoding="utf-8"))
    assert notebook["cells"][-1]["cell_type"] == "markdown" and len(notebook["cells"]) == 4
    assert course_headers.cell_text(notebook["cells"][2]) == "x = 1"
    assert course_headers.cell_text(notebook["cells"][-1]) == nav  # a code cell was last: new cell
    back = "[← 01 · First steps](01_first.ipynb) · [Back to the start: 00 · Start ↺](00_how_to_use.ipynb)"
    last = markdown_cells(course / "02_last.ipynb")
    assert last == [f"# 02 · Last words\n\n{back}\n\nThe end.", back]  # one cell: title and end
    start = markdown_cells(course / "00_how_to_use.ipynb")
    assert start[0] == "# 00 · Start here\n\n[01 · First steps →](01_first.ipynb)\n\nWelcome."


def test_the_script_is_idempotent_and_leaves_styled_chapters_byte_for_byte(tmp_path: Path) -> None:
    course = small_course(tmp_path)
    course_headers.restyle(course)
    before = {path.name: path.read_bytes() for path in course.glob("*.ipynb")}
    assert course_headers.restyle(course) == []
    assert {path.name: path.read_bytes() for path in course.glob("*.ipynb")} == before
    assert course_headers.main(["--check"], course) == 0


def test_real_chapters_survive_a_read_and_write_unchanged(tmp_path: Path) -> None:
    for path in sorted(COURSE.glob("*.ipynb")):  # the JSON is written as nbformat writes it
        text = path.read_text(encoding="utf-8")
        assert course_headers.notebook_text(json.loads(text)) == text, path.name
    copy = tmp_path / "course"
    shutil.copytree(COURSE, copy)
    course_headers.restyle(copy)
    assert course_headers.restyle(copy) == []


@pytest.mark.parametrize("damage, message", [
    (lambda course: (course / "02_last.ipynb").unlink(), "do not exist: 02_last.ipynb"),
    (lambda course: write_notebook(course / "03_extra.ipynb", [("markdown", "# Extra")]),
     "missing from the table in 00_how_to_use.ipynb: 03_extra.ipynb"),
    (lambda course: write_notebook(course / "02_last.ipynb", [("markdown", "No title")]),
     "must start with a '# ' title"),
])
def test_the_script_names_what_is_wrong(tmp_path: Path, damage, message) -> None:
    course = small_course(tmp_path)
    damage(course)
    with pytest.raises(ValueError, match=re.escape(message)):
        course_headers.restyle(course)
