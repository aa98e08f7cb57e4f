"""The one repository address, and every link and install command made from it.

The address is ``[project.urls] Repository`` in pyproject.toml (a GitHub repository). From it come
the Binder and Colab launch links of every chapter (README course table, website buttons) and the
requirement that each notebook's first cell installs on Colab. A publisher changes that one line
and runs ``python3 dev.py site links``, which rewrites the README links and the install cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
README = ROOT / "README.md"
COURSE = ROOT / "course"
BRANCH = "main"
BINDER = "https://mybinder.org"
COLAB = "https://colab.research.google.com"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"

_GITHUB = re.compile(r"https://github\.com/(?P<owner>[\w.-]+)/(?P<name>[\w.-]+?)(?:\.git)?/?")
# A course-table row of the README: | 05 | [Title](course/05_name.ipynb) | launch links |
COURSE_ROW = re.compile(r"^\| (?P<number>\d\d) \| \[(?P<title>[^\]]+)\]\((?P<path>course/[\w.-]+\.ipynb)\) \|"
                        r".*\|[ \t]*$", re.MULTILINE)
# The badge line under the README's first paragraph: launch links to the first chapter.
BADGE_LINE = re.compile(r"^\[!\[Binder\]\(.*$", re.MULTILINE)


@dataclass(frozen=True)
class Repository:
    """A GitHub repository and branch, and the links into it."""

    owner: str
    name: str
    branch: str = BRANCH

    @property
    def url(self) -> str:
        return f"https://github.com/{self.owner}/{self.name}"

    def binder(self, path: str) -> str:
        """Binder opening ``path`` (relative to the repository root) in JupyterLab."""
        return f"{BINDER}/v2/gh/{self.owner}/{self.name}/{self.branch}?urlpath=lab/tree/{path}"

    def colab(self, path: str) -> str:
        """Colab opening the notebook at ``path`` of the branch."""
        return f"{COLAB}/github/{self.owner}/{self.name}/blob/{self.branch}/{path}"

    @property
    def pip_requirement(self) -> str:
        """What ``pip install`` takes to install the package from this repository."""
        return f"autodiff_nb @ git+{self.url}@{self.branch}"

    def launch_badges(self, path: str) -> str:
        """Markdown: a Binder and a Colab badge, each a link that opens ``path``."""
        return (f"[![Binder]({BINDER_BADGE})]({self.binder(path)}) "
                f"[![Open In Colab]({COLAB_BADGE})]({self.colab(path)})")


def parse_repository(url: str) -> Repository:
    match = _GITHUB.fullmatch(url.strip())
    if match is None:
        raise ValueError(f"the repository address must look like https://github.com/OWNER/NAME, got {url!r}")
    return Repository(match["owner"], match["name"])


def repository_address(pyproject: Path = PYPROJECT) -> str:
    """``Repository = "..."`` of the ``[project.urls]`` table (read without a TOML library, which
    Python 3.10 lacks)."""
    text = pyproject.read_text(encoding="utf-8")
    table = re.search(r"^\[project\.urls\][ \t]*\n(?P<body>(?:(?!\[).*\n?)*)", text, re.MULTILINE)
    entry = table and re.search(r'^Repository\s*=\s*"([^"]+)"', table["body"], re.MULTILINE)
    if not entry:
        raise ValueError(f"{pyproject}: no Repository = \"...\" under [project.urls]")
    return entry[1]


def repository(pyproject: Path = PYPROJECT) -> Repository:
    """The repository named in pyproject.toml."""
    return parse_repository(repository_address(pyproject))


@dataclass(frozen=True)
class Chapter:
    number: str
    title: str
    path: str  # relative to the repository root, e.g. course/05_forward_mode.ipynb

    @property
    def docname(self) -> str:
        """The chapter's page on the website, without extension (course/05_forward_mode)."""
        return self.path.removesuffix(".ipynb")


def chapters(readme_text: str) -> list[Chapter]:
    """The README's course table, in order."""
    return [Chapter(row["number"], row["title"], row["path"]) for row in COURSE_ROW.finditer(readme_text)]


def course_row(chapter: Chapter, repo: Repository) -> str:
    return f"| {chapter.number} | [{chapter.title}]({chapter.path}) | {repo.launch_badges(chapter.path)} |"


def with_links(readme_text: str, repo: Repository) -> str:
    """The README with every launch link regenerated for ``repo``: the course table's Launch column
    and the badge line (first chapter). Nothing else changes."""
    found = chapters(readme_text)
    if not found:
        raise ValueError("README.md has no course table rows like | 00 | [Title](course/00_x.ipynb) | ... |")
    text = COURSE_ROW.sub(lambda row: course_row(Chapter(row["number"], row["title"], row["path"]), repo),
                          readme_text)
    return BADGE_LINE.sub(lambda _: repo.launch_badges(found[0].path), text, count=1)


def update_readme(readme: Path = README, repo: Repository | None = None) -> bool:
    """Rewrite the README's launch links from pyproject.toml's address; True if anything changed."""
    text = readme.read_text(encoding="utf-8")
    new = with_links(text, repo or repository())
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text
