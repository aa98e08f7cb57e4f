"""nbval settings for the course notebooks (`pytest --nbval --nbval-current-env course/`).

text/plain, streams and errors are compared strictly. Not compared:
- image/svg+xml: Graphviz lays out and writes SVG differently from one version to the next;
- text/html: HTML reprs carry generated ids and styles.
Widget views and PNG images are already skipped by nbval itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nbval.plugin import IPyNbFile

NOT_COMPARED = ("image/svg+xml", "text/html")
SANITIZE_FILE = Path(__file__).with_name("nbval-sanitize.cfg")


def pytest_configure(config: pytest.Config) -> None:
    if getattr(config.option, "nbval_sanitize_with", "") is None:
        config.option.nbval_sanitize_with = str(SANITIZE_FILE)


def pytest_collectstart(collector: pytest.Collector) -> None:
    if isinstance(collector, IPyNbFile):
        collector.skip_compare = (*collector.skip_compare, *NOT_COMPARED)
