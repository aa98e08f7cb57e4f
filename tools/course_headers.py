"""One header style for every chapter, written from the course table (standard library only).

    python3 dev.py headers            # rewrite course/*.ipynb where they differ; lists what changed
    python3 dev.py headers --check    # change nothing; exit 1 and list the chapters that would change

The course table is the chapter list in 00_how_to_use.ipynb ("| 05 | [Forward mode](05_forward_mode.ipynb)
| ... |"): number, short title and file of every chapter, in order. From it each chapter gets

* its title line: the first line of its first markdown cell is ``# NN · Title`` (NN its own number; the
  title as the chapter wrote it, only the number and separator are normalised),
* a navigation line under the title and as the last line of its last cell:
  ``[← 04 · The chain rule](04_….ipynb) · [06 · Reverse mode →](06_….ipynb)``. Chapter 00 has no
  previous chapter; the last chapter's next link goes back to the start, ``[Back to the start: 00 · … ↺]``,
* numbered sections written ``## 3. Title`` (a ``## 3 · Title`` is rewritten; numbers are never
  changed, since the prose refers to sections by number).

Rewriting is idempotent: a chapter already in this style is left byte for byte as it is. Notebooks are
read and written as nbformat writes them (JSON, one-space indent, sorted keys, UTF-8, final newline).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CONTENTS = "00_how_to_use.ipynb"
TABLE_ROW = re.compile(r"^\|\s*(\d\d)\s*\|\s*\[([^\]]+)\]\((\d\d_[\w-]+\.ipynb)\)\s*\|")
TITLE_LINE = re.compile(r"^#\s+(?:(\d{1,2})\s*(?:·|\.|:|-|–|—)\s*)?(.+?)\s*$")
NAV_LINK = r"\[[^\]]*\]\(\d\d_[\w-]+\.ipynb\)"
NAV_LINE = re.compile(rf"^{NAV_LINK}(?: · {NAV_LINK})*$")
SECTION = re.compile(r"^## (\d+)\s*(?:·|\.)\s*(.+)$")


@dataclass(frozen=True)
class Chapter:
    number: str  # '05'
    title: str  # the short title of the course table: 'Forward mode'
    file: str  # '05_forward_mode.ipynb'

    @property
    def name(self) -> str:
        return f"{self.number} · {self.title}"


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def notebook_text(notebook: dict) -> str:
    """The notebook as nbformat writes it."""
    return json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def set_cell_text(cell: dict, text: str) -> None:
    """Give ``cell`` the source ``text`` (as nbformat stores it: lines, each but the last ending in
    a newline); a cell whose text is already ``text`` is left untouched."""
    if cell_text(cell) != text:
        cell["source"] = [line for line in re.split(r"(?<=\n)", text) if line]


def course_table(course: Path) -> list[Chapter]:
    """The chapters listed in the table of 00_how_to_use.ipynb, in the table's order."""
    chapters = []
    for cell in read_notebook(course / CONTENTS)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in cell_text(cell).splitlines():
            match = TABLE_ROW.match(line.strip())
            if match:
                chapters.append(Chapter(*match.groups()))
    if not chapters:
        raise ValueError(f"{course / CONTENTS} has no chapter table "
                         "(rows like '| 05 | [Title](05_x.ipynb) |')")
    return chapters


def navigation(chapters: Sequence[Chapter], index: int) -> str:
    """The navigation line of chapter ``index``: the previous chapter (if any) and the next, the last
    chapter's back to the start."""
    links = []
    if index > 0:
        previous = chapters[index - 1]
        links.append(f"[← {previous.name}]({previous.file})")
    if index + 1 < len(chapters):
        following = chapters[index + 1]
        links.append(f"[{following.name} →]({following.file})")
    else:
        links.append(f"[Back to the start: {chapters[0].name} ↺]({chapters[0].file})")
    return " · ".join(links)


def _title_line(line: str, chapter: Chapter) -> str:
    match = TITLE_LINE.match(line)
    if match is None:
        raise ValueError(f"{chapter.file}: its first markdown cell must start with a '# ' title, "
                         f"got {line!r}")
    return f"# {chapter.number} · {match.group(2)}"


def _with_header(text: str, chapter: Chapter, nav: str) -> str:
    """The first markdown cell: title line, blank line, navigation line, blank line, the rest."""
    lines = text.split("\n")
    title = _title_line(lines[0], chapter)
    rest = lines[1:]
    while rest and not rest[0].strip():
        rest = rest[1:]
    if rest and NAV_LINE.match(rest[0].strip()):
        rest = rest[1:]
        while rest and not rest[0].strip():
            rest = rest[1:]
    return "\n".join([title, "", nav, *([""] + rest if rest else [])])


def _with_footer(text: str, nav: str) -> str:
    """The last cell with ``nav`` as its last line (replacing a navigation line already there)."""
    lines = text.rstrip("\n").split("\n") if text.strip() else []
    if lines and NAV_LINE.match(lines[-1].strip()):
        lines = lines[:-1]
        while lines and not lines[-1].strip():
            lines = lines[:-1]
    return "\n".join([*lines, "", nav]) if lines else nav


def _numbered_sections(text: str) -> str:
    return "\n".join(SECTION.sub(r"## \1. \2", line) for line in text.split("\n"))


def styled(notebook: dict, chapters: Sequence[Chapter], index: int) -> dict:
    """A copy of ``notebook`` (chapter ``index`` of ``chapters``) in the course's header style."""
    styled_notebook = json.loads(json.dumps(notebook))
    cells = styled_notebook["cells"]
    chapter, nav = chapters[index], navigation(chapters, index)
    markdown = [cell for cell in cells if cell["cell_type"] == "markdown"]
    if not markdown:
        raise ValueError(f"{chapter.file} has no markdown cell to put its title in")
    for cell in markdown:
        set_cell_text(cell, _numbered_sections(cell_text(cell)))
    set_cell_text(markdown[0], _with_header(cell_text(markdown[0]), chapter, nav))
    if cells[-1]["cell_type"] != "markdown" or cells[-1] is markdown[0]:
        cells.append({"cell_type": "markdown", "id": f"navigation-{chapter.number}",
                      "metadata": {}, "source": []})
    set_cell_text(cells[-1], _with_footer(cell_text(cells[-1]), nav))
    if "id" not in cells[-1] and any("id" in cell for cell in cells):
        cells[-1]["id"] = f"navigation-{chapter.number}"
    return styled_notebook


def restyle(course: Path, write: bool = True) -> list[str]:
    """Bring every chapter of the course table into the header style; the files that (would) change."""
    chapters = course_table(course)
    missing = [chapter.file for chapter in chapters if not (course / chapter.file).is_file()]
    if missing:
        raise ValueError(f"the course table lists chapters that do not exist: {', '.join(missing)}")
    unlisted = sorted({path.name for path in course.glob("[0-9][0-9]_*.ipynb")}
                      - {chapter.file for chapter in chapters})
    if unlisted:
        raise ValueError(f"chapters missing from the table in {CONTENTS}: {', '.join(unlisted)}")
    changed = []
    for index, chapter in enumerate(chapters):
        path = course / chapter.file
        before = path.read_text(encoding="utf-8")
        after = notebook_text(styled(json.loads(before), chapters, index))
        if after != before:
            changed.append(chapter.file)
            if write:
                path.write_text(after, encoding="utf-8")
    return changed


def main(argv: Sequence[str], course: Path) -> int:
    check = "--check" in argv
    try:
        changed = restyle(course, write=not check)
    except ValueError as error:
        print(f"[headers] {error}", file=sys.stderr)
        return 2
    verb = "would change" if check else "rewrote"
    for name in changed:
        print(f"[headers] {verb} {name}")
    if not changed:
        print("[headers] every chapter already has the header style")
    return 1 if check and changed else 0
