"""Every explorer's display data carries a PNG picture of itself beside the widget view, so a saved
notebook shows something on GitHub, nbviewer and the course website (autodiff_nb/widgets/view.py).

Runs under ipywidgets 8 here and under ipywidgets 7.7.1 (Colab's) in tests/test_ipywidgets7.py.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from autodiff_nb import widgets
from autodiff_nb.widgets.view import INTERACTIVE_NOTE, WIDGET_VIEW, picture_with_note

EXPLORERS = {
    "derivative": lambda: widgets.derivative_explorer(f=np.sin, x=1.0),
    "fd_error": lambda: widgets.fd_error_explorer(),
    "shallow_net": lambda: widgets.shallow_net_explorer(),
    "stepper": lambda: widgets.backprop_stepper(),
    "playground": lambda: widgets.optimizer_playground(),
}


def picture(bundle: dict) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(bundle["image/png"]))).convert("RGB"))


@pytest.mark.parametrize("name", EXPLORERS)
def test_the_display_data_holds_the_widget_view_and_a_picture_with_the_note(name: str) -> None:
    view = EXPLORERS[name]()
    bundle = view._repr_mimebundle_()
    assert set(bundle) == {"text/plain", WIDGET_VIEW, "image/png"}
    assert bundle["text/plain"] == repr(view)[:110] + ("…" if len(repr(view)) > 110 else "")
    assert bundle[WIDGET_VIEW]["model_id"] == view.model_id
    pixels = picture(bundle)
    height, width, _ = pixels.shape
    assert width >= 400 and height >= 150
    band = pixels[-26:]  # the note under the picture: dark orange text on white
    assert (band != 255).any() and not (pixels[: height - 26] == 255).all()
    for image in view.figure_images:  # each figure is in it, at the size it is shown
        figure_width, figure_height = image.css_size
        assert width >= figure_width and height >= figure_height + 26


def test_the_picture_is_the_state_at_display_time() -> None:
    view = widgets.derivative_explorer(f=np.sin, x=1.0, h=0.5)
    first = picture(view._repr_mimebundle_())
    view.h_slider.value = 1e-3
    assert not np.array_equal(picture(view._repr_mimebundle_()), first)


def test_the_stepper_picture_is_its_graph() -> None:
    view = widgets.backprop_stepper()
    graph_png = view.explorer.graph()._repr_mimebundle_(include=["image/png"])["image/png"]
    graph = Image.open(io.BytesIO(graph_png))
    pixels = picture(view._repr_mimebundle_())
    assert pixels.shape[0] == min(graph.height, round(graph.height * 900 / graph.width)) + 26


def test_the_training_monitor_shows_a_picture_once_it_has_drawn() -> None:
    monitor = widgets.TrainingMonitor(20, display="widget")
    assert "image/png" not in monitor._repr_mimebundle_()  # nothing drawn yet: no empty chart
    for step in range(20):
        monitor.update(step, 1.0 / (step + 1))
    monitor.close()
    bundle = monitor._repr_mimebundle_()
    assert WIDGET_VIEW in bundle and picture(bundle).shape[0] > 100


def test_picture_with_note_lays_pictures_side_by_side() -> None:
    red = np.zeros((50, 300, 4), dtype=np.uint8)
    red[..., 0] = red[..., 3] = 255
    blue = np.zeros((80, 400, 4), dtype=np.uint8)
    blue[..., 2] = blue[..., 3] = 255
    pixels = np.asarray(Image.open(io.BytesIO(picture_with_note([red, blue]))).convert("RGB"))
    assert pixels.shape == (80 + 26, 700, 3)
    assert tuple(pixels[10, 10]) == (255, 0, 0) and tuple(pixels[70, 10]) == (255, 255, 255)
    assert tuple(pixels[70, 650]) == (0, 0, 255)
    assert INTERACTIVE_NOTE.endswith("move the controls.")
