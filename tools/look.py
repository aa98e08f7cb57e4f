"""Open notebooks in JupyterLab in headless Chromium at a laptop's window size, run them, and report
how wide each graph and widget picture is against its output area; screenshots of each.

    .venv/bin/python tools/look.py course/06_reverse_mode.ipynb tests/browser/explorers.ipynb
    .venv/bin/python tools/look.py --width 1400 --height 900 --out /tmp/look course/07_*.ipynb

Uses the browser tests' helpers (tests/browser/conftest.py and page_layout.py): a private JupyterLab over
a fresh copy of the notebooks' folder, Debian's Chromium, the file browser open as on first start.
Screenshots go to ``--out`` (default tests/browser/artifacts/look/).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import page_layout as layout  # noqa: E402

import conftest as browser  # noqa: E402  (the browser tests' fixtures, used as plain functions)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--width", type=int, default=layout.LAPTOP["width"])
    parser.add_argument("--height", type=int, default=layout.LAPTOP["height"])
    parser.add_argument("--out", type=Path, default=browser.ARTIFACTS / "look")
    parser.add_argument("--no-run", action="store_true", help="show the stored outputs, do not run")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="look-") as scratch:
        scratch = Path(scratch)
        with browser.serving_course(scratch) as lab, browser.chromium_page(scratch) as page:
            page.set_viewport_size({"width": args.width, "height": args.height})
            for notebook in args.notebooks:
                name = notebook.name
                if not (lab.root_dir / name).exists():
                    shutil.copy(notebook, lab.root_dir / name)
                if args.no_run:
                    browser.open_notebook(page, lab, name)
                    page.wait_for_timeout(1500)
                else:
                    run = browser.run_notebook_in_browser(page, lab, name)
                    print(f"{name}: completed={run.completed} console errors={run.console_errors}")
                print(layout.describe(layout.measure(page)))
                for index, element in enumerate(layout.picture_elements(page)):
                    element.scroll_into_view_if_needed()
                    path = args.out / f"{notebook.stem}_{index}.png"
                    element.screenshot(path=str(path))
                    print(f"  screenshot {path}")
                browser.close_notebooks(page)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
