"""Kata 4 (katas/summary_writer.py): SummaryWriter's scalars, images (CHW and HWC) and graph.

Every test reads the event files back with TensorBoard's own reader: what TensorBoard would show.
"""

import io

import numpy as np
import pytest
import torch
from PIL import Image
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from torch import nn

from kata_impl import summary_writer


def read_back(log_dir):
    accumulator = EventAccumulator(str(log_dir), size_guidance={"scalars": 0, "images": 0})
    accumulator.Reload()
    return accumulator


def decoded(image_event):
    return np.array(Image.open(io.BytesIO(image_event.encoded_image_string)).convert("RGB"))


# --- add_scalar ------------------------------------------------------------------------------------


@pytest.mark.kata("summary_writer.log_scalars")
def test_log_scalars_writes_every_value_under_the_tag(tmp_path):
    values = [1.0, 0.5, 0.25, 0.125]
    summary_writer.log_scalars(str(tmp_path), "train/loss", values)
    events = read_back(tmp_path)
    tags = events.Tags()["scalars"]
    assert tags == ["train/loss"], f"TensorBoard finds scalar tags {tags} in {tmp_path}; expected ['train/loss']"
    got = [e.value for e in events.Scalars("train/loss")]
    assert got == pytest.approx(values), f"logged values read back as {got}; expected {values}"


@pytest.mark.kata("summary_writer.log_scalars")
def test_log_scalars_steps_count_from_zero(tmp_path):
    summary_writer.log_scalars(str(tmp_path), "acc", [0.1, 0.2, 0.3])
    steps = [e.step for e in read_back(tmp_path).Scalars("acc")]
    assert steps == [0, 1, 2], f"the series has steps {steps}; value i belongs at global_step i"


@pytest.mark.kata("summary_writer.log_scalars")
def test_log_scalars_writes_only_into_log_dir(tmp_path, monkeypatch):
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    summary_writer.log_scalars(str(tmp_path / "logs"), "x", [1.0])
    assert not (work / "runs").exists(), "a SummaryWriter without log_dir writes to ./runs: pass log_dir"
    assert list((tmp_path / "logs").glob("events.out.tfevents.*")), "no event file in log_dir"


@pytest.fixture
def writers(monkeypatch):
    """Records every SummaryWriter created and whether it was closed ('with' closes it too)."""
    from torch.utils.tensorboard import SummaryWriter

    record = {"opened": [], "closed": []}
    original_init, original_close = SummaryWriter.__init__, SummaryWriter.close

    def init(self, *args, **kwargs):
        record["opened"].append(id(self))
        original_init(self, *args, **kwargs)

    def close(self):
        record["closed"].append(id(self))
        original_close(self)

    monkeypatch.setattr(SummaryWriter, "__init__", init)
    monkeypatch.setattr(SummaryWriter, "close", close)
    return record


@pytest.mark.kata("summary_writer.log_scalars")
def test_log_scalars_closes_its_writer(tmp_path, writers):
    # Unclosed, a writer keeps its last events in memory until a background flush or the garbage collector:
    # whether they are on disk when the function returns would be a matter of luck.
    summary_writer.log_scalars(str(tmp_path), "loss", [1.0, 2.0])
    assert writers["opened"], "log_scalars created no SummaryWriter"
    unclosed = set(writers["opened"]) - set(writers["closed"])
    assert not unclosed, f"{len(unclosed)} SummaryWriter(s) were never closed: call close() or use 'with SummaryWriter(...)'"


@pytest.mark.kata("summary_writer.log_image_tensor")
def test_log_image_tensor_closes_its_writer(tmp_path, writers):
    summary_writer.log_image_tensor(str(tmp_path), "x", torch.rand(3, 4, 4))
    assert writers["opened"] and set(writers["opened"]) <= set(writers["closed"]), "close the SummaryWriter"


# --- add_image -------------------------------------------------------------------------------------


@pytest.mark.kata("summary_writer.log_image_tensor")
def test_log_image_tensor_keeps_width_and_height(tmp_path):
    summary_writer.log_image_tensor(str(tmp_path), "sample", torch.rand(3, 20, 30), step=4)
    images = read_back(tmp_path).Images("sample")
    assert [(e.width, e.height, e.step) for e in images] == [(30, 20, 4)], (
        f"TensorBoard reads (width, height, step) = {[(e.width, e.height, e.step) for e in images]}; "
        "expected [(30, 20, 4)] for a (3, 20, 30) CHW tensor at step 4"
    )


@pytest.mark.kata("summary_writer.log_image_tensor")
def test_log_image_tensor_pixels_survive(tmp_path):
    image = torch.zeros(3, 4, 6)
    image[0, :2] = 1.0  # top half red
    image[2, 2:] = 1.0  # bottom half blue
    summary_writer.log_image_tensor(str(tmp_path), "halves", image)
    pixels = decoded(read_back(tmp_path).Images("halves")[0])
    assert pixels[0, 0].tolist() == [255, 0, 0] and pixels[3, 5].tolist() == [0, 0, 255], (
        f"top-left pixel {pixels[0, 0].tolist()}, bottom-right {pixels[3, 5].tolist()}; expected red and blue"
    )


@pytest.mark.kata("summary_writer.log_image_array")
def test_log_image_array_hwc_keeps_width_and_height(tmp_path):
    array = np.zeros((20, 30, 3), dtype=np.uint8)  # what np.array(pil_image) gives for a 30x20 image
    summary_writer.log_image_array(str(tmp_path), "photo", array, step=2)
    images = read_back(tmp_path).Images("photo")
    assert [(e.width, e.height, e.step) for e in images] == [(30, 20, 2)], (
        f"TensorBoard reads (width, height, step) = {[(e.width, e.height, e.step) for e in images]}; expected "
        "[(30, 20, 2)]. An (H, W, C) array needs dataformats='HWC'."
    )


@pytest.mark.kata("summary_writer.log_image_array")
def test_log_image_array_pixels_survive(tmp_path):
    rng = np.random.default_rng(0)
    array = rng.integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    summary_writer.log_image_array(str(tmp_path), "noise", array)
    pixels = decoded(read_back(tmp_path).Images("noise")[0])
    assert pixels.shape == (5, 7, 3) and np.array_equal(pixels, array), "the image read back differs from the array"


@pytest.mark.kata("summary_writer.log_image_array")
def test_log_image_array_of_a_pil_image(tmp_path):
    photo = Image.new("RGB", (16, 9), (0, 128, 255))
    summary_writer.log_image_array(str(tmp_path), "pil", np.array(photo))
    event = read_back(tmp_path).Images("pil")[0]
    assert (event.width, event.height) == (16, 9) and decoded(event)[0, 0].tolist() == [0, 128, 255]


# --- add_graph -------------------------------------------------------------------------------------


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(self.conv(x).mean(dim=(2, 3)))


@pytest.mark.kata("summary_writer.log_graph")
def test_log_graph_writes_a_graph(tmp_path):
    summary_writer.log_graph(str(tmp_path), Tiny(), torch.rand(1, 3, 8, 8))
    events = read_back(tmp_path)
    assert events.Tags()["graph"], f"TensorBoard finds no graph in {tmp_path}"
    names = " ".join(node.name for node in events.Graph().node)
    assert "conv" in names and "fc" in names, f"the graph's nodes do not mention the model's layers: {names[:300]}"


@pytest.mark.kata("summary_writer.log_graph")
def test_log_graph_leaves_the_model_unchanged(tmp_path):
    model = Tiny()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    summary_writer.log_graph(str(tmp_path), model, torch.rand(2, 3, 8, 8))
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items()), "logging the graph changed weights"
    assert read_back(tmp_path).Tags()["graph"]
