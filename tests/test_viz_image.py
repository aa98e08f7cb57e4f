"""One picture compared pixel by pixel: the course's shallow network against a committed baseline.

Regenerate the baseline after an intended change of the picture with

    python tests/test_viz_image.py
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.testing.compare import compare_images  # noqa: E402

from autodiff_nb import viz  # noqa: E402

BASELINE = Path(__file__).parent / "baseline" / "shallow_net.png"
TOLERANCE = 2.0  # RMS difference on the 0-255 scale, as matplotlib's own image tests use
FIXED_STYLE = {
    "figure.dpi": 72,
    "savefig.dpi": 72,
    "font.family": "DejaVu Sans",
    "text.hinting": "none",
    "axes.unicode_minus": True,
}


def draw_reference(path: Path) -> None:
    """The course's shallow network: 3 ReLU units, their contributions and joints, some data."""
    theta = np.array([[0.3, -1.0], [-1.0, 2.0], [-0.5, 0.65]])
    phi = np.array([-0.3, 2.0, -1.0, 7.0])
    x_data = np.linspace(0.05, 0.95, 10)
    y_data = viz.shallow_net(x_data, theta, phi)[0] + np.random.default_rng(0).normal(0, 0.1, 10)
    with plt.style.context("default"), matplotlib.rc_context(FIXED_STYLE):
        figure = plt.figure(figsize=(5, 3.5), layout="constrained")
        ax = viz.plot_shallow_net(theta, phi, x_data=x_data, y_data=y_data, ax=figure.add_subplot())
        strip_text(ax)  # text rendering changes between matplotlib releases; lines and markers do not
        figure.savefig(path)
        plt.close(figure)


def strip_text(ax) -> None:
    ax.set_title("")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(labelbottom=False, labelleft=False)
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()


def test_shallow_net_figure_matches_the_baseline(tmp_path):
    actual = tmp_path / "shallow_net.png"
    draw_reference(actual)
    assert BASELINE.exists(), f"missing {BASELINE}; run python {__file__} to create it"
    difference = compare_images(str(BASELINE), str(actual), tol=TOLERANCE)
    assert difference is None, difference


if __name__ == "__main__":
    draw_reference(BASELINE)
    print(f"wrote {BASELINE}")
