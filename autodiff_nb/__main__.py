"""``python -m autodiff_nb``: the version, where the course is, and whether Graphviz was found."""

from __future__ import annotations

import sys
from pathlib import Path

from . import __version__


def course_location() -> Path | None:
    """The ``course/`` folder of a source checkout (editable installs point back to it), if any."""
    candidate = Path(__file__).resolve().parent.parent / "course"
    return candidate if any(candidate.glob("00_*.ipynb")) else None


def main() -> int:
    print(f"autodiff_nb {__version__} (Python {sys.version.split()[0]})")
    course = course_location()
    if course is not None:
        print(f"course:   {course}  (in a clone of the repository: python3 dev.py course)")
    else:
        print("course:   not installed with the package; it lives in the course/ folder of the source "
              "repository (clone it and run: python3 dev.py course)")
    try:
        from .viz import graphviz_status
    except ImportError as error:  # matplotlib/graphviz missing: say so instead of a traceback
        print(f"graphviz: cannot check ({error})")
    else:
        print(f"graphviz: {graphviz_status()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
