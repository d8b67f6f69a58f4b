"""Kata 4 (katas/summary_writer.py): SummaryWriter's scalars, images (CHW and HWC) and graph.

Every test runs a kata through `logged`, which first checks - with a spy, not by luck - that each SummaryWriter the
kata opened points at log_dir and was closed, and only then reads the event files back with TensorBoard's own reader
(what TensorBoard would show). An unclosed writer's last events reach the disk whenever its background thread happens
to flush them, so reading before that check would give a different verdict from run to run.
"""

import io
import os

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from kata_harness.testing import shape_of
from kata_impl import summary_writer


@pytest.fixture
def log_dir(tmp_path):
    """A log folder that is not the working directory (each test runs inside tmp_path)."""
    return tmp_path / "logs"


@pytest.fixture
def writers(monkeypatch):
    """Spies on SummaryWriter: every writer created, and every close() ('with SummaryWriter(...)' calls it too)."""
    from torch.utils.tensorboard import SummaryWriter

    record = {"opened": [], "closed": []}
    original_init, original_close = SummaryWriter.__init__, SummaryWriter.close

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        record["opened"].append(self)

    def close(self):
        record["closed"].append(self)
        original_close(self)

    monkeypatch.setattr(SummaryWriter, "__init__", init)
    monkeypatch.setattr(SummaryWriter, "close", close)
    return record


def describe(value):
    if isinstance(value, (list, tuple)) and len(value) <= 6:
        return repr(value)
    if isinstance(value, nn.Module):
        return f"{type(value).__name__}()"
    return shape_of(value)


def logged(writers, kata, log_dir, *args, lesson="", **kwargs):
    """Call the kata, check every SummaryWriter it opened was on log_dir and closed, then read log_dir back."""
    shown = ", ".join(["log_dir", *map(describe, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
    call = f"{kata.__name__}({shown})"
    try:
        kata(str(log_dir), *args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as error:  # a library error deep inside add_image says little: say what was called, and why
        raise AssertionError(f"Called {call}. It raised {type(error).__name__}: {error}\n{lesson}".rstrip()) from error
    opened = writers["opened"]
    assert opened, f"Called {call}. It created no SummaryWriter; the tests expected one writing into log_dir."
    elsewhere = [w.get_logdir() for w in opened if os.path.realpath(str(w.get_logdir())) != os.path.realpath(log_dir)]
    assert not elsewhere, (
        f"Called {call}. It opened a SummaryWriter on {elsewhere}, but the tests expected every writer on the log_dir "
        "argument. Without log_dir a SummaryWriter writes to ./runs/<date>_<host>: pass log_dir=log_dir."
    )
    unclosed = [w for w in opened if not any(w is c for c in writers["closed"])]
    assert not unclosed, (
        f"Called {call}. {len(unclosed)} of its {len(opened)} SummaryWriter(s) was never closed, but the tests "
        "expected every writer closed before the function returns: an open writer may still hold its last events "
        "in memory. Call writer.close(), or use 'with SummaryWriter(log_dir=...) as writer:'."
    )
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(log_dir), size_guidance={"scalars": 0, "images": 0})
    accumulator.Reload()
    accumulator.call = call  # for the failure messages of `series`
    return accumulator


def series(events, kind, tag):
    """The events of one tag ("scalars" or "images"), with a clear failure when the tag is missing."""
    tags = events.Tags()[kind]
    assert tag in tags, (
        f"Called {events.call}. TensorBoard finds the {kind} tags {tags} in log_dir, but the tests expected "
        f"{tag!r}: log under the tag the function was given."
    )
    return events.Scalars(tag) if kind == "scalars" else events.Images(tag)


def decoded(image_event):
    """The pixels TensorBoard shows: an (H, W, 3) uint8 array."""
    return np.array(Image.open(io.BytesIO(image_event.encoded_image_string)).convert("RGB"))


def first_difference(got, expected):
    row, col = np.argwhere(np.abs(got.astype(np.float64) - expected) > 1)[0][:2]
    expected = np.round(expected[row, col], 1).tolist()
    return f"pixel (row {row}, column {col}) is {got[row, col].tolist()}, expected {expected}"


# --- add_scalar ------------------------------------------------------------------------------------


@pytest.mark.kata("summary_writer.log_scalars")
def test_log_scalars_closes_its_writer(log_dir, writers):
    # `logged` checks the spy: a writer was opened on log_dir and closed ('with' counts as closing).
    events = logged(writers, summary_writer.log_scalars, log_dir, "loss", [1.0, 2.0])
    assert events.Tags()["scalars"], f"the writer was closed, but TensorBoard finds no scalar in {log_dir}"


@pytest.mark.kata("summary_writer.log_scalars")
def test_log_scalars_writes_every_value_under_the_tag(log_dir, writers):
    values = [1.0, 0.5, 0.25, 0.125]
    events = logged(writers, summary_writer.log_scalars, log_dir, "train/loss", values)
    tags = events.Tags()["scalars"]
    assert tags == ["train/loss"], (
        f"Called log_scalars(log_dir, 'train/loss', {values}). TensorBoard finds the scalar tags {tags}, but the tests "
        "expected ['train/loss']: one add_scalar call per value, all with the tag it was given."
    )
    got = [e.value for e in events.Scalars("train/loss")]
    assert got == pytest.approx(values), (
        f"Called log_scalars(log_dir, 'train/loss', {values}). TensorBoard reads the values {got}, but the tests "
        f"expected {values}: every value of the list, in order."
    )


@pytest.mark.kata("summary_writer.log_scalars")
def test_log_scalars_steps_count_from_zero(log_dir, writers):
    events = logged(writers, summary_writer.log_scalars, log_dir, "acc", [0.1, 0.2, 0.3])
    got = [(e.step, round(e.value, 6)) for e in series(events, "scalars", "acc")]
    assert got == [(0, 0.1), (1, 0.2), (2, 0.3)], (
        f"Called log_scalars(log_dir, 'acc', [0.1, 0.2, 0.3]). TensorBoard reads (step, value) pairs {got}, but the "
        "tests expected [(0, 0.1), (1, 0.2), (2, 0.3)]: value i goes at global_step=i, counting from 0."
    )


@pytest.mark.kata("summary_writer.log_scalars")
def test_log_scalars_writes_only_into_log_dir(tmp_path, writers, monkeypatch):
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    logged(writers, summary_writer.log_scalars, tmp_path / "logs", "x", [1.0])
    assert not (work / "runs").exists(), "a SummaryWriter without log_dir writes to ./runs: pass log_dir"
    assert list((tmp_path / "logs").glob("events.out.tfevents.*")), "Called log_scalars: no event file in log_dir"


# --- add_image -------------------------------------------------------------------------------------

CHW_LESSON = "A (C, H, W) float tensor in [0, 1] is add_image's default layout and value range: pass it as it is."
HWC_LESSON = (
    "add_image reads an image as (C, H, W) unless told otherwise: an (H, W, C) array needs dataformats='HWC' "
    "(or a transpose to (C, H, W)). A uint8 image is already 0..255 and is not rescaled."
)


@pytest.mark.kata("summary_writer.log_image_tensor")
def test_log_image_tensor_closes_its_writer(log_dir, writers):
    events = logged(writers, summary_writer.log_image_tensor, log_dir, "x", torch.rand(3, 4, 4), lesson=CHW_LESSON)
    assert events.Tags()["images"], f"the writer was closed, but TensorBoard finds no image in {log_dir}"


@pytest.mark.kata("summary_writer.log_image_tensor")
def test_log_image_tensor_keeps_width_height_and_step(log_dir, writers):
    image = torch.rand(3, 20, 30)
    events = logged(writers, summary_writer.log_image_tensor, log_dir, "sample", image, step=4, lesson=CHW_LESSON)
    got = [(e.width, e.height, e.step) for e in series(events, "images", "sample")]
    assert got == [(30, 20, 4)], (
        f"Called log_image_tensor(log_dir, 'sample', tensor (3, 20, 30), step=4). TensorBoard reads (width, height, "
        f"step) = {got}, but the tests expected [(30, 20, 4)]: one image, 30 wide and 20 high, at global_step=step."
    )


@pytest.mark.kata("summary_writer.log_image_tensor")
def test_log_image_tensor_default_step_is_zero(log_dir, writers):
    events = logged(writers, summary_writer.log_image_tensor, log_dir, "first", torch.rand(3, 2, 2), lesson=CHW_LESSON)
    got = [e.step for e in series(events, "images", "first")]
    assert got == [0], f"Called log_image_tensor without step. The image is at steps {got}; expected [0] (step=0)."


@pytest.mark.kata("summary_writer.log_image_tensor")
def test_log_image_tensor_pixel_values(log_dir, writers):
    # Mid-range values, all different: scaling twice (or not at all) or mixing up the axes changes what is shown.
    image = (torch.arange(72, dtype=torch.float32).reshape(3, 4, 6) * 3 + 20.5) / 255
    events = logged(writers, summary_writer.log_image_tensor, log_dir, "ramp", image, lesson=CHW_LESSON)
    pixels = decoded(series(events, "images", "ramp")[0])
    expected = image.permute(1, 2, 0).double().numpy() * 255
    assert pixels.shape == (4, 6, 3), f"Called log_image_tensor(log_dir, 'ramp', tensor (3, 4, 6)); got {pixels.shape}"
    assert np.abs(pixels - expected).max() <= 1, (
        "Called log_image_tensor(log_dir, 'ramp', float tensor (3, 4, 6) with values in [0.08, 0.93]). In TensorBoard "
        f"{first_difference(pixels, expected)} (value x 255). {CHW_LESSON} add_image multiplies float images by 255 "
        "itself."
    )


@pytest.mark.kata("summary_writer.log_image_array")
def test_log_image_array_closes_its_writer(log_dir, writers):
    image = np.zeros((4, 4, 3), dtype=np.uint8)
    events = logged(writers, summary_writer.log_image_array, log_dir, "x", image, lesson=HWC_LESSON)
    assert events.Tags()["images"], f"the writer was closed, but TensorBoard finds no image in {log_dir}"


@pytest.mark.kata("summary_writer.log_image_array")
def test_log_image_array_hwc_keeps_width_height_and_step(log_dir, writers):
    array = np.zeros((20, 30, 3), dtype=np.uint8)  # what np.array(pil_image) gives for a 30x20 image
    events = logged(writers, summary_writer.log_image_array, log_dir, "photo", array, step=2, lesson=HWC_LESSON)
    got = [(e.width, e.height, e.step) for e in series(events, "images", "photo")]
    assert got == [(30, 20, 2)], (
        f"Called log_image_array(log_dir, 'photo', uint8 array (20, 30, 3), step=2). TensorBoard reads (width, height, "
        f"step) = {got}, but the tests expected [(30, 20, 2)]. {HWC_LESSON}"
    )


@pytest.mark.kata("summary_writer.log_image_array")
def test_log_image_array_pixel_values(log_dir, writers):
    array = np.random.default_rng(0).integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    events = logged(writers, summary_writer.log_image_array, log_dir, "noise", array, lesson=HWC_LESSON)
    images = series(events, "images", "noise")
    assert [e.step for e in images] == [0], f"the image is at steps {[e.step for e in images]}; expected [0] (step=0)"
    pixels = decoded(images[0])
    assert pixels.shape == (5, 7, 3), f"Called {events.call}. TensorBoard shows an image of shape {pixels.shape}"
    assert np.array_equal(pixels, array), (
        f"Called log_image_array(log_dir, 'noise', uint8 array (5, 7, 3)). In TensorBoard "
        f"{first_difference(pixels, array.astype(np.float64))}. {HWC_LESSON}"
    )


@pytest.mark.kata("summary_writer.log_image_array")
def test_log_image_array_of_a_pil_image(log_dir, writers):
    photo = Image.new("RGB", (16, 9), (0, 128, 255))
    events = logged(writers, summary_writer.log_image_array, log_dir, "pil", np.array(photo), lesson=HWC_LESSON)
    event = series(events, "images", "pil")[0]
    got = (event.width, event.height, decoded(event)[0, 0].tolist())
    assert got == (16, 9, [0, 128, 255]), (
        f"Called log_image_array(log_dir, 'pil', np.array(16x9 RGB PIL image of colour (0, 128, 255))). TensorBoard "
        f"shows (width, height, first pixel) = {got}; expected (16, 9, [0, 128, 255]). {HWC_LESSON}"
    )


# --- add_graph -------------------------------------------------------------------------------------


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(self.conv(x).mean(dim=(2, 3)))


def traced_input_shapes(events):
    """The shapes of the graph's input nodes: the example input the model was traced with."""
    nodes = [n for n in events.Graph().node if n.op == "IO Node" and n.name.startswith("input")]
    return [tuple(d.size for d in n.attr["_output_shapes"].list.shape[0].dim) for n in nodes]


@pytest.mark.kata("summary_writer.log_graph")
def test_log_graph_writes_the_models_layers(log_dir, writers):
    events = logged(writers, summary_writer.log_graph, log_dir, Tiny(), torch.rand(1, 3, 8, 8))
    assert events.Tags()["graph"], f"Called log_graph(log_dir, Tiny(), tensor (1, 3, 8, 8)); TensorBoard finds no graph"
    names = " ".join(node.name for node in events.Graph().node)
    assert "conv" in names and "fc" in names, f"the graph's nodes do not mention the model's layers: {names[:300]}"


@pytest.mark.kata("summary_writer.log_graph")
def test_log_graph_traces_the_example_input(log_dir, writers):
    example = torch.rand(2, 3, 8, 8)
    events = logged(writers, summary_writer.log_graph, log_dir, Tiny(), example)
    shapes = traced_input_shapes(events)
    assert shapes == [(2, 3, 8, 8)], (
        f"Called log_graph(log_dir, Tiny(), tensor (2, 3, 8, 8)). The graph's input has the shapes {shapes}, but the "
        "tests expected [(2, 3, 8, 8)]: trace the model with the example_input it was given."
    )


@pytest.mark.kata("summary_writer.log_graph")
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_log_graph_leaves_the_model_as_it_was(log_dir, writers, mode):
    model = Tiny().train(mode == "train")
    before = {k: v.clone() for k, v in model.state_dict().items()}
    events = logged(writers, summary_writer.log_graph, log_dir, model, torch.rand(2, 3, 8, 8))
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items()), (
        f"Called log_graph(log_dir, model in {mode} mode, tensor (2, 3, 8, 8)). The model's weights changed; logging "
        "a graph must not."
    )
    modes = {name or "model": "train" if m.training else "eval" for name, m in model.named_modules()}
    assert set(modes.values()) == {mode}, (
        f"Called log_graph(log_dir, model in {mode} mode, ...). Afterwards the modules' modes are {modes}, but the "
        f"tests expected every module still in {mode} mode: log_graph must leave the model in the mode it was given "
        "(add_graph switches to eval and back by itself; do not force a mode of your own afterwards)."
    )
    assert events.Tags()["graph"], "TensorBoard finds no graph"
