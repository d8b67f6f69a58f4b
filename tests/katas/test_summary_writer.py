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

from kata_harness.testing import assert_tensors_close, lang, lesson, says, shape_of
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


def logged(writers, kata, log_dir, *args, why="", **kwargs):
    """Call the kata, check every SummaryWriter it opened was on log_dir and closed, then read log_dir back.

    ``why``: the lesson of the kata, shown when the call raises (a library error deep inside add_image says little)."""
    shown = ", ".join(["log_dir", *map(describe, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
    call = f"{kata.__name__}({shown})"
    try:
        kata(str(log_dir), *args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as error:
        raised = lesson("summary_writer.raised", error=f"{type(error).__name__}: {error}")
        raise AssertionError(says(call=call, lesson=f"{raised}\n{why}".rstrip())) from error
    opened = writers["opened"]
    assert opened, says(call=call, lesson=lesson("summary_writer.no_writer"))
    elsewhere = [w.get_logdir() for w in opened if os.path.realpath(str(w.get_logdir())) != os.path.realpath(log_dir)]
    assert not elsewhere, says(call=call, lesson=lesson("summary_writer.writer_elsewhere", elsewhere=elsewhere))
    unclosed = [w for w in opened if not any(w is c for c in writers["closed"])]
    assert not unclosed, says(
        call=call, lesson=lesson("summary_writer.writer_not_closed", unclosed=len(unclosed), opened=len(opened))
    )
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(log_dir), size_guidance={"scalars": 0, "images": 0})
    accumulator.Reload()
    accumulator.call = call  # for the failure messages of `series`
    return accumulator


def series(events, kind, tag):
    """The events of one tag ("scalars" or "images"), with a clear failure when the tag is missing."""
    tags = events.Tags()[kind]
    assert tag in tags, says(
        call=events.call, lesson=lesson("summary_writer.tag_missing", kind=kind, tags=tags, tag=repr(tag))
    )
    return events.Scalars(tag) if kind == "scalars" else events.Images(tag)


def decoded(image_event):
    """The pixels TensorBoard shows: an (H, W, 3) uint8 array."""
    return np.array(Image.open(io.BytesIO(image_event.encoded_image_string)).convert("RGB"))


def first_image_shown(events, tag):
    """The pixels TensorBoard shows for ``tag``'s first image, for a failure's picture; None when there is none."""
    try:
        return decoded(events.Images(tag)[0])
    except Exception:  # noqa: BLE001 - no image under that tag, or not one Pillow reads: no picture
        return None


def gradient(height, width):
    """An (H, W, 3) uint8 array whose pixels all differ: R grows along x, G along y (a photo as np.array gives it)."""
    x = np.linspace(0, 255, width)[None, :].repeat(height, 0)
    y = np.linspace(0, 255, height)[:, None].repeat(width, 1)
    return np.stack([x, y, (x + y) / 2], axis=-1).astype(np.uint8)


def sentences(*texts: str) -> str:
    """Lessons one after the other, as the learner's language writes them (Chinese puts no space between)."""
    return ("" if lang() == "zh" else " ").join(texts)


def first_difference(got, expected):
    """Where TensorBoard's pixels first differ from the expected ones (by more than 1), as a lesson."""
    row, col = np.argwhere(np.abs(got.astype(np.float64) - expected) > 1)[0][:2]
    return lesson(
        "summary_writer.first_pixel_difference", row=row, column=col, got=got[row, col].tolist(),
        expected=np.round(expected[row, col], 1).tolist(),
    )  # fmt: skip


# --- add_scalar ------------------------------------------------------------------------------------


@pytest.mark.kata("summary_writer.log_scalars")
def test_log_scalars_closes_its_writer(log_dir, writers):
    # `logged` checks the spy: a writer was opened on log_dir and closed ('with' counts as closing).
    events = logged(writers, summary_writer.log_scalars, log_dir, "loss", [1.0, 2.0])
    assert events.Tags()["scalars"], says(call=events.call, lesson=lesson("summary_writer.scalars_written"))


@pytest.mark.kata("summary_writer.log_scalars")
def test_log_scalars_writes_every_value_under_the_tag(log_dir, writers):
    values = [1.0, 0.5, 0.25, 0.125]
    events = logged(writers, summary_writer.log_scalars, log_dir, "train/loss", values)
    tags = events.Tags()["scalars"]
    assert tags == ["train/loss"], says(
        call=f"{events.call}; Tags()['scalars']", returned=repr(tags), expected="['train/loss']",
        lesson=lesson("summary_writer.scalars_one_tag"),
    )  # fmt: skip
    got = [e.value for e in events.Scalars("train/loss")]
    assert got == pytest.approx(values), says(
        call=f"{events.call}; [e.value for e in Scalars('train/loss')]", returned=repr(got), expected=repr(values),
        lesson=lesson("summary_writer.scalars_every_value"),
    )  # fmt: skip


@pytest.mark.kata("summary_writer.log_scalars")
def test_log_scalars_steps_count_from_zero(log_dir, writers):
    events = logged(writers, summary_writer.log_scalars, log_dir, "acc", [0.1, 0.2, 0.3])
    got = [(e.step, round(e.value, 6)) for e in series(events, "scalars", "acc")]
    assert got == [(0, 0.1), (1, 0.2), (2, 0.3)], says(
        call=f"{events.call}; [(e.step, e.value) for e in Scalars('acc')]", returned=repr(got),
        expected="[(0, 0.1), (1, 0.2), (2, 0.3)]", lesson=lesson("summary_writer.scalars_steps_from_zero"),
    )  # fmt: skip


@pytest.mark.kata("summary_writer.log_scalars")
def test_log_scalars_writes_only_into_log_dir(tmp_path, writers, monkeypatch):
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    events = logged(writers, summary_writer.log_scalars, tmp_path / "logs", "x", [1.0])
    assert not (work / "runs").exists(), says(
        call=f"os.chdir(cwd); {events.call}; os.path.exists('runs')", returned="True", expected="False",
        lesson=lesson("summary_writer.scalars_no_runs_folder"),
    )  # fmt: skip
    files = [p.name for p in (tmp_path / "logs").iterdir()] if (tmp_path / "logs").is_dir() else []
    assert list((tmp_path / "logs").glob("events.out.tfevents.*")), says(
        call=f"{events.call}; os.listdir(log_dir)", returned=repr(files), expected="['events.out.tfevents.…']",
        lesson=lesson("summary_writer.scalars_event_file_in_log_dir"),
    )  # fmt: skip


# --- add_image -------------------------------------------------------------------------------------


@pytest.mark.kata("summary_writer.log_image_tensor")
def test_log_image_tensor_closes_its_writer(log_dir, writers):
    events = logged(writers, summary_writer.log_image_tensor, log_dir, "x", torch.rand(3, 4, 4),
                    why=lesson("summary_writer.chw_image"))
    assert events.Tags()["images"], says(call=events.call, lesson=lesson("summary_writer.image_written"))


@pytest.mark.kata("summary_writer.log_image_tensor")
def test_log_image_tensor_keeps_width_height_and_step(log_dir, writers):
    image = torch.from_numpy(gradient(20, 30)).permute(2, 0, 1) / 255
    events = logged(writers, summary_writer.log_image_tensor, log_dir, "sample", image.clone(), step=4,
                    why=lesson("summary_writer.chw_image"))
    got = [(e.width, e.height, e.step) for e in series(events, "images", "sample")]
    assert got == [(30, 20, 4)], says(
        call=f"{events.call}; [(e.width, e.height, e.step) for e in Images('sample')]", returned=repr(got),
        expected="[(30, 20, 4)]", lesson=lesson("summary_writer.image_size_and_step", width=30, height=20),
        picture=(first_image_shown(events, "sample"), gradient(20, 30)), source=image,
    )  # fmt: skip


@pytest.mark.kata("summary_writer.log_image_tensor")
def test_log_image_tensor_default_step_is_zero(log_dir, writers):
    events = logged(writers, summary_writer.log_image_tensor, log_dir, "first", torch.rand(3, 2, 2),
                    why=lesson("summary_writer.chw_image"))
    got = [e.step for e in series(events, "images", "first")]
    assert got == [0], says(
        call=f"{events.call}; [e.step for e in Images('first')]", returned=repr(got), expected="[0]",
        lesson=lesson("summary_writer.image_default_step"),
    )  # fmt: skip


@pytest.mark.kata("summary_writer.log_image_tensor")
def test_log_image_tensor_pixel_values(log_dir, writers):
    # Mid-range values, all different: scaling twice (or not at all) or mixing up the axes changes what is shown.
    image = (torch.arange(72, dtype=torch.float32).reshape(3, 4, 6) * 3 + 20.5) / 255
    events = logged(writers, summary_writer.log_image_tensor, log_dir, "ramp", image,
                    why=lesson("summary_writer.chw_image"))
    pixels = decoded(series(events, "images", "ramp")[0])
    expected = image.permute(1, 2, 0).double().numpy() * 255
    assert pixels.shape == (4, 6, 3), says(
        call=f"{events.call}; decoded(Images('ramp')[0]).shape", returned=repr(pixels.shape), expected="(4, 6, 3)",
        lesson=lesson("summary_writer.image_shape_shown", expected="(4, 6, 3)"),
        picture=(pixels, expected.round().astype(np.uint8)), source=image,
    )  # fmt: skip
    assert_tensors_close(
        torch.from_numpy(pixels.astype(np.float64)), torch.from_numpy(expected), rtol=0, atol=1,
        call="image = (torch.arange(72.).reshape(3, 4, 6) * 3 + 20.5) / 255; log_image_tensor(log_dir, 'ramp', image); "
        "decoded(Images('ramp')[0])",
        lesson=lesson("summary_writer.chw_image_float_scaled"), picture=True, source=image,
    )  # fmt: skip


@pytest.mark.kata("summary_writer.log_image_array")
def test_log_image_array_closes_its_writer(log_dir, writers):
    image = np.zeros((4, 4, 3), dtype=np.uint8)
    events = logged(writers, summary_writer.log_image_array, log_dir, "x", image,
                    why=lesson("summary_writer.hwc_image"))
    assert events.Tags()["images"], says(call=events.call, lesson=lesson("summary_writer.image_written"))


@pytest.mark.kata("summary_writer.log_image_array")
def test_log_image_array_hwc_keeps_width_height_and_step(log_dir, writers):
    array = gradient(20, 30)  # what np.array(pil_image) gives for a 30x20 image
    events = logged(writers, summary_writer.log_image_array, log_dir, "photo", array.copy(), step=2,
                    why=lesson("summary_writer.hwc_image"))
    got = [(e.width, e.height, e.step) for e in series(events, "images", "photo")]
    assert got == [(30, 20, 2)], says(
        call=f"{events.call}; [(e.width, e.height, e.step) for e in Images('photo')]", returned=repr(got),
        expected="[(30, 20, 2)]", lesson=lesson("summary_writer.hwc_image"),
        picture=(first_image_shown(events, "photo"), array), source=array,
    )  # fmt: skip


@pytest.mark.kata("summary_writer.log_image_array")
def test_log_image_array_pixel_values(log_dir, writers):
    array = np.random.default_rng(0).integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    events = logged(writers, summary_writer.log_image_array, log_dir, "noise", array,
                    why=lesson("summary_writer.hwc_image"))
    images = series(events, "images", "noise")
    steps = [e.step for e in images]
    assert steps == [0], says(
        call=f"{events.call}; [e.step for e in Images('noise')]", returned=repr(steps), expected="[0]",
        lesson=lesson("summary_writer.image_default_step"),
    )  # fmt: skip
    pixels = decoded(images[0])
    assert pixels.shape == (5, 7, 3), says(
        call=f"{events.call}; decoded(Images('noise')[0]).shape", returned=repr(pixels.shape), expected="(5, 7, 3)",
        lesson=lesson("summary_writer.hwc_image"), picture=(pixels, array), source=array,
    )  # fmt: skip
    assert np.array_equal(pixels, array), says(
        call=events.call, lesson=sentences(first_difference(pixels, array.astype(np.float64)), lesson("summary_writer.hwc_image")),
        picture=(pixels, array), source=array,
    )  # fmt: skip


@pytest.mark.kata("summary_writer.log_image_array")
def test_log_image_array_of_a_pil_image(log_dir, writers):
    photo = Image.new("RGB", (16, 9), (0, 128, 255))
    events = logged(writers, summary_writer.log_image_array, log_dir, "pil", np.array(photo),
                    why=lesson("summary_writer.hwc_image"))
    event = series(events, "images", "pil")[0]
    got = (event.width, event.height, decoded(event)[0, 0].tolist())
    assert got == (16, 9, [0, 128, 255]), says(
        call="photo = Image.new('RGB', (16, 9), (0, 128, 255)); log_image_array(log_dir, 'pil', np.array(photo)); "
        "(e.width, e.height, decoded(e)[0, 0])",
        returned=repr(got), expected="(16, 9, [0, 128, 255])", lesson=lesson("summary_writer.hwc_image"),
        picture=(first_image_shown(events, "pil"), photo), source=np.array(photo),
    )  # fmt: skip


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
    assert events.Tags()["graph"], says(call=events.call, lesson=lesson("summary_writer.graph_written"))
    names = " ".join(node.name for node in events.Graph().node)
    assert "conv" in names and "fc" in names, says(
        call=f"{events.call}; ' '.join(node.name for node in Graph().node)", returned=repr(names[:300]),
        expected="'... conv ... fc ...'",
        lesson=lesson("summary_writer.graph_names_the_layers"),
    )  # fmt: skip


@pytest.mark.kata("summary_writer.log_graph")
def test_log_graph_traces_the_example_input(log_dir, writers):
    example = torch.rand(2, 3, 8, 8)
    events = logged(writers, summary_writer.log_graph, log_dir, Tiny(), example)
    shapes = traced_input_shapes(events)
    assert shapes == [(2, 3, 8, 8)], says(
        call=f"{events.call}; [input.shape for input in Graph().node if input.op == 'IO Node']",
        returned=repr(shapes), expected="[(2, 3, 8, 8)]",
        lesson=lesson("summary_writer.graph_traces_the_example_input"),
    )  # fmt: skip


@pytest.mark.kata("summary_writer.log_graph")
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_log_graph_leaves_the_model_as_it_was(log_dir, writers, mode):
    model = Tiny().train(mode == "train")
    before = {k: v.clone() for k, v in model.state_dict().items()}
    events = logged(writers, summary_writer.log_graph, log_dir, model, torch.rand(2, 3, 8, 8))
    changed = [k for k, v in model.state_dict().items() if not torch.equal(before[k], v)]
    call = f"model = Tiny().{mode}(); log_graph(log_dir, model, torch.rand(2, 3, 8, 8))"
    assert not changed, says(
        call=f"{call}; [k for k, v in model.state_dict().items() if not torch.equal(before[k], v)]",
        returned=repr(changed), expected="[]",
        lesson=lesson("summary_writer.graph_keeps_the_weights"),
    )  # fmt: skip
    modes = {name or "model": "train" if m.training else "eval" for name, m in model.named_modules()}
    assert set(modes.values()) == {mode}, says(
        call=f"{call}; {{name: 'train' if m.training else 'eval' for name, m in model.named_modules()}}",
        returned=repr(modes), expected=repr({name: mode for name in modes}),
        lesson=lesson("summary_writer.graph_keeps_the_mode", mode=mode),
    )  # fmt: skip
    assert events.Tags()["graph"], says(call=call, lesson=lesson("summary_writer.graph_written"))
