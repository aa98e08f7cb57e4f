"""Settings for every pytest run in this repository (kept out of course/, which learners browse).

Jupyter, IPython and matplotlib keep config and caches under HOME. Tests, and the notebook
kernels that nbval starts, get a scratch directory instead: `dev.isolated_env`, the one definition
of that environment. `python3 dev.py test` sets it up itself (and sets AUTODIFF_NB_ISOLATED); a plain
`pytest` gets it here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

import dev

try:  # property tests: random exploration locally, the same examples on every CI run
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")
except ImportError:  # hypothesis is a test extra; a plain nbval run does not need it
    pass


def pytest_configure(config: pytest.Config) -> None:
    if getattr(config.option, "nbval_sanitize_with", "") is None:  # --nbval without a sanitize file
        config.option.nbval_sanitize_with = str(dev.SANITIZE_FILE)
    if os.environ.get("AUTODIFF_NB_ISOLATED"):
        return
    scratch = tempfile.mkdtemp(prefix="autodiff_nb-pytest-")
    config.add_cleanup(lambda: shutil.rmtree(scratch, ignore_errors=True))
    patch = pytest.MonkeyPatch()
    config.add_cleanup(patch.undo)
    isolated = dev.isolated_env(Path(scratch))
    for name in set(os.environ) - set(isolated):
        patch.delenv(name)
    for name, value in isolated.items():
        patch.setenv(name, value)


# nbval (`pytest --nbval --nbval-current-env course/`): text/plain, streams and errors are compared
# strictly. Not compared: image/svg+xml (Graphviz lays out and writes SVG differently from one version
# to the next) and text/html (HTML reprs carry generated ids and styles). nbval itself already skips
# widget views and PNG images.
NOT_COMPARED = ("image/svg+xml", "text/html")


def pytest_collectstart(collector: pytest.Collector) -> None:
    if hasattr(collector, "skip_compare"):  # nbval's notebook collector (IPyNbFile)
        collector.skip_compare = (*collector.skip_compare, *NOT_COMPARED)
