"""Sphinx configuration of the course website (built by ``python3 dev.py site``, see build.py).

Everything the pages load is on the site itself: MathJax is a local copy (docs/_static/mathjax,
SVG output, so no web fonts), the theme ships its own fonts and icons, and no widget JavaScript is
added (explorers show their saved picture instead of the widget view).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import autodiff_nb  # noqa: E402
from docs.links import BINDER, COLAB, repository  # noqa: E402

REPOSITORY = repository()

project = "autodiff_nb"
author = "The autodiff_nb authors"
copyright = "2026, The autodiff_nb authors. Code: MIT licence; course text and figures: CC BY 4.0"
version = release = autodiff_nb.__version__

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]  # napoleon: Google-style Args:
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type"]

# Notebooks: shown exactly as committed, never executed here.
nb_execution_mode = "off"
nb_ipywidgets_js: dict = {}  # no widget manager from a CDN; widgets show their saved PNG
# A widget's display data holds its view and a PNG picture: show the PNG (a static page has no kernel).
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_dmath_double_inline = True  # $$...$$ inside a paragraph or list item, as Jupyter renders it
myst_heading_anchors = 3

# Math: a local MathJax with SVG output (relative paths are relative to _static/). The file is
# es5/tex-svg-full.js of the npm package mathjax@3.2.2, unmodified (`npm pack mathjax@3.2.2`;
# sha256 a4354ff94fd868aea0cc6eaaa79a57fda0588646fc46ee3700a349ee0a11cbe6), licence beside it.
mathjax_path = "mathjax/tex-svg-full.js"
mathjax3_config = {"svg": {"fontCache": "global"}}

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"undoc-members": False, "show-inheritance": True}

html_theme = "sphinx_book_theme"
html_title = "autodiff_nb: automatic differentiation from the ground up"
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_show_sourcelink = False
# The figures are drawn on white: start in light mode (an unset mode is a console error of the theme).
html_context = {"default_mode": "light"}
html_theme_options = {
    "repository_url": REPOSITORY.url,
    "repository_branch": REPOSITORY.branch,
    "path_to_docs": "",  # a chapter's page name is its path in the repository: course/NN_x
    "use_repository_button": True,
    "use_download_button": True,
    "launch_buttons": {
        "binderhub_url": BINDER,
        "colab_url": COLAB,
        "notebook_interface": "jupyterlab",
    },
    "show_toc_level": 2,
    "navbar_persistent": [],  # search lives in the sidebar; no second search bar in a top header
    "navigation_with_keys": False,
}
