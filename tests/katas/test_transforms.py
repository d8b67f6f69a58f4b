"""Kata 5 (katas/transforms.py): Compose, ToTensor, ToPILImage, Normalize, Resize and RandomCrop."""

import numpy as np
import pytest
import torch
from PIL import Image
from torchvision import transforms as T

from kata_harness.testing import assert_tensors_close, assert_tensors_equal, raises_from, shape_of
from kata_impl import transforms


def gradient_image(width, height):
    """An RGB PIL image whose pixels all differ: R grows along x, G along y, B is their mix."""
    x = np.linspace(0, 255, width, dtype=np.float32)[None, :].repeat(height, 0)
    y = np.linspace(0, 255, height, dtype=np.float32)[:, None].repeat(width, 1)
    return Image.fromarray(np.stack([x, y, (x + y) / 2], axis=-1).astype(np.uint8), "RGB")


# --- Compose: resize_then_tensor -------------------------------------------------------------------


@pytest.mark.kata("transforms.resize_then_tensor")
def test_resize_then_tensor_is_a_compose():
    from torchvision.transforms import v2

    pipeline = transforms.resize_then_tensor(8)
    assert isinstance(pipeline, (T.Compose, v2.Compose)), (
        f"Called resize_then_tensor(8). It returned {type(pipeline).__name__}, but the tests expected a Compose: "
        "transforms.Compose takes the list of steps and returns one callable."
    )


@pytest.mark.kata("transforms.resize_then_tensor")
def test_resize_then_tensor_resizes_the_pil_image_then_converts():
    # ToTensor first and Resize second would resize floats instead of the PIL image's pixels: slightly other values.
    image = gradient_image(40, 20)
    result = transforms.resize_then_tensor(10)(image)
    expected = T.ToTensor()(T.Resize(10)(image))
    assert isinstance(result, torch.Tensor) and result.shape == expected.shape, (
        f"Called resize_then_tensor(10) on a 40x20 (w x h) PIL image. It gave {shape_of(result)}, but the tests "
        "expected tensor (3, 10, 20)."
    )
    assert_tensors_close(
        result, expected, check_dtype=True,
        call="resize_then_tensor(10) on a 40x20 (w x h) PIL image",
        lesson="The result must equal Resize(10) followed by ToTensor(): Compose runs its steps in list order, and "
        "the resizing happens on the PIL image.",
    )  # fmt: skip


@pytest.mark.kata("transforms.resize_then_tensor")
def test_resize_then_tensor_output_shape():
    result = transforms.resize_then_tensor(10)(gradient_image(40, 20))
    assert isinstance(result, torch.Tensor) and tuple(result.shape) == (3, 10, 20), (
        f"resize_then_tensor(10) on a 40x20 (w x h) PIL image gave {shape_of(result)}; expected (3, 10, 20)"
    )


@pytest.mark.kata("transforms.resize_then_tensor")
def test_resize_then_tensor_pair_size_is_height_width():
    result = transforms.resize_then_tensor((12, 8))(gradient_image(40, 20))
    assert isinstance(result, torch.Tensor) and tuple(result.shape) == (3, 12, 8), (
        f"Called resize_then_tensor((12, 8)) on a 40x20 (w x h) PIL image. It gave {shape_of(result)}, but the tests "
        "expected tensor (3, 12, 8): a pair size is (height, width), as Resize reads it."
    )


# --- ToTensor: image_to_tensor ---------------------------------------------------------------------


@pytest.mark.kata("transforms.image_to_tensor")
def test_image_to_tensor_uint8_hwc_becomes_float_chw_over_255():
    array = np.arange(18, dtype=np.uint8).reshape(2, 3, 3) * 10  # (H=2, W=3, C=3)
    result = transforms.image_to_tensor(array)
    expected = torch.from_numpy(array).permute(2, 0, 1).float() / 255
    assert tuple(result.shape) == (3, 2, 3), f"ToTensor on a (2, 3, 3) HWC array gave {shape_of(result)}"
    assert_tensors_close(
        result, expected,
        call="image_to_tensor(uint8 array (2, 3, 3))",
        lesson="A uint8 (H, W, C) image becomes float32 (C, H, W) with values divided by 255.",
    )  # fmt: skip


@pytest.mark.kata("transforms.image_to_tensor")
def test_image_to_tensor_pil_image_is_chw_float32_in_unit_range():
    result = transforms.image_to_tensor(gradient_image(4, 2))
    assert (tuple(result.shape), result.dtype) == ((3, 2, 4), torch.float32), f"got {shape_of(result)}"
    assert 0.0 <= result.min() and result.max() == 1.0, "a PIL image's 0..255 must map onto 0..1"


@pytest.mark.kata("transforms.image_to_tensor")
@pytest.mark.parametrize("make", [lambda: Image.new("L", (5, 3), 51), lambda: np.full((3, 5), 51, np.uint8)], ids=["pil-L", "array-HW"])
def test_image_to_tensor_grayscale_gets_a_channel_dimension(make):
    result = transforms.image_to_tensor(make())
    assert tuple(result.shape) == (1, 3, 5), f"a 5x3 grayscale image became {shape_of(result)}; expected (1, 3, 5)"
    assert_tensors_close(
        result, torch.full((1, 3, 5), 0.2),
        call="image_to_tensor(5x3 grayscale image full of 51)",
        lesson="A grayscale (H, W) uint8 image becomes float32 (1, H, W) with values divided by 255 (51 -> 0.2).",
    )  # fmt: skip


@pytest.mark.kata("transforms.image_to_tensor")
def test_image_to_tensor_float_array_is_not_rescaled():
    array = np.arange(12, dtype=np.float32).reshape(2, 3, 2) / 4 + 2  # (H=2, W=3, C=2), values 2.0 .. 4.75
    result = transforms.image_to_tensor(array)
    assert_tensors_equal(
        result, torch.from_numpy(array).permute(2, 0, 1),
        call="image_to_tensor(float32 array (2, 3, 2) with values 2.0 .. 4.75)",
        lesson="A float array is only transposed to (C, H, W) = (2, 2, 3), not rescaled: ToTensor divides only "
        "uint8 data by 255.",
    )  # fmt: skip


@pytest.mark.kata("transforms.image_to_tensor")
def test_image_to_tensor_rejects_a_tensor():
    raises_from(
        TypeError, transforms.image_to_tensor, torch.zeros(3, 2, 2),
        lesson="image_to_tensor turns a PIL image or a numpy array into a tensor, like ToTensor; a tensor is not "
        "accepted.",
    )  # fmt: skip


# --- ToPILImage: tensor_to_image -------------------------------------------------------------------


@pytest.mark.kata("transforms.tensor_to_image")
def test_tensor_to_image_round_trips_uint8_exactly():
    original = gradient_image(7, 5)
    back = transforms.tensor_to_image(T.ToTensor()(original))
    assert isinstance(back, Image.Image), (
        f"Called tensor_to_image(float tensor (3, 5, 7)). It returned {shape_of(back)}; the tests expected a PIL image."
    )
    assert (back.mode, back.size) == ("RGB", (7, 5)), (
        f"Called tensor_to_image(float tensor (3, 5, 7)). It returned a {back.mode} image of size {back.size}, but the "
        "tests expected an RGB image of size (w, h) = (7, 5)."
    )
    assert np.array_equal(np.array(back), np.array(original)), (
        "PIL image -> ToTensor -> tensor_to_image must give back the same pixels: a float tensor in [0, 1] is "
        "multiplied by 255."
    )


@pytest.mark.kata("transforms.tensor_to_image")
def test_tensor_to_image_size_is_width_by_height():
    back = transforms.tensor_to_image(torch.rand(3, 2, 5))
    assert back.size == (5, 2), (
        f"Called tensor_to_image(tensor (3, 2, 5)). The PIL image has size {back.size}, but the tests expected (5, 2): "
        "a tensor is (C, H, W), a PIL image's size is (w, h)."
    )


@pytest.mark.kata("transforms.tensor_to_image")
def test_tensor_to_image_single_channel_uint8_is_grayscale_as_is():
    back = transforms.tensor_to_image(torch.full((1, 3, 4), 100, dtype=torch.uint8))
    assert back.mode == "L" and np.array(back).tolist() == [[100] * 4] * 3, (
        f"Called tensor_to_image(uint8 tensor (1, 3, 4) full of 100). It returned a {back.mode} image with pixels "
        f"{np.array(back).tolist()}, but the tests expected an L (grayscale) image full of 100: one channel is "
        "grayscale, and uint8 values are taken as they are."
    )


@pytest.mark.kata("transforms.tensor_to_image")
def test_tensor_to_image_accepts_an_hwc_array():
    array = np.array(gradient_image(6, 4))  # (H=4, W=6, C=3) uint8
    back = transforms.tensor_to_image(array)
    assert isinstance(back, Image.Image) and (back.mode, back.size) == ("RGB", (6, 4)), (
        f"Called tensor_to_image(uint8 array (4, 6, 3)). It returned {shape_of(back)} "
        f"{getattr(back, 'mode', '')} {getattr(back, 'size', '')}, but the tests expected an RGB image of size (6, 4): "
        "an array is read as (H, W, C)."
    )
    assert np.array_equal(np.array(back), array), "the (H, W, C) uint8 array's pixels must be kept as they are"


# --- Normalize: normalize --------------------------------------------------------------------------


@pytest.mark.kata("transforms.normalize")
def test_normalize_applies_the_per_channel_formula():
    x = torch.rand(3, 4, 4)
    mean, std = [0.1, 0.2, 0.3], [0.5, 0.25, 2.0]
    expected = (x - torch.tensor(mean)[:, None, None]) / torch.tensor(std)[:, None, None]
    assert_tensors_close(
        transforms.normalize(x, mean, std), expected,
        call=f"normalize(x of shape (3, 4, 4), mean={mean}, std={std})",
        lesson="Each channel c must become (x - mean[c]) / std[c].",
    )  # fmt: skip


@pytest.mark.kata("transforms.normalize")
def test_normalize_does_not_force_mean_zero_std_one():
    # The note claims Normalize produces a standard normal distribution. It does not: it is an affine map.
    x = 0.7 + 0.2 * torch.rand(3, 16, 16)  # data in [0.7, 0.9]
    expected_mean = (x.mean() - 0.5) / 0.5  # computed first: a normalize that overwrites x must not move the target
    result = transforms.normalize(x, [0.5] * 3, [0.5] * 3)
    assert_tensors_close(
        result.mean(), expected_mean,
        call="normalize(x with values in [0.7, 0.9], [0.5] * 3, [0.5] * 3), then .mean() of the result",
        lesson="Normalize is an affine map per channel: the result's mean is (mean of x - 0.5) / 0.5, not 0 - it "
        "gives mean 0 only when mean and std are the data's own statistics.",
    )  # fmt: skip
    assert 0.4 < result.mean().item() < 0.8, f"the result's mean is {result.mean().item():.3f}; (0.8-0.5)/0.5 = 0.6"


@pytest.mark.kata("transforms.normalize")
def test_normalize_single_value_applies_to_every_channel():
    x = torch.rand(3, 2, 2)
    assert_tensors_close(
        transforms.normalize(x, [0.5], [0.25]), (x - 0.5) / 0.25,
        call="normalize(x of shape (3, 2, 2), [0.5], [0.25])",
        lesson="A single mean and std apply to every channel: (x - 0.5) / 0.25.",
    )  # fmt: skip


@pytest.mark.kata("transforms.normalize")
def test_normalize_does_not_modify_its_input():
    x = torch.rand(3, 2, 2)
    before = x.clone()
    transforms.normalize(x, [0.5] * 3, [0.5] * 3)
    assert_tensors_equal(
        x, before,
        call="normalize(x, [0.5] * 3, [0.5] * 3), then looked at x again",
        lesson="x itself has changed: normalize must return a new tensor and leave the caller's tensor unchanged "
        "(Normalize's inplace=True would overwrite it).",
    )  # fmt: skip


@pytest.mark.kata("transforms.normalize")
def test_normalize_rejects_a_pil_image():
    raises_from(
        TypeError, transforms.normalize, gradient_image(2, 2), [0.5] * 3, [0.5] * 3,
        call="normalize(2x2 PIL image, [0.5] * 3, [0.5] * 3)",
        lesson="Normalize needs a tensor: a PIL image is a TypeError.",
    )  # fmt: skip


# --- channel_mean_std ------------------------------------------------------------------------------


@pytest.mark.kata("transforms.channel_mean_std")
def test_channel_mean_std_gives_one_value_per_channel():
    images = torch.rand(5, 3, 4, 6)
    mean, std = transforms.channel_mean_std(images)
    assert tuple(mean.shape) == (3,) and tuple(std.shape) == (3,), f"got mean {shape_of(mean)}, std {shape_of(std)}"


@pytest.mark.kata("transforms.channel_mean_std")
def test_channel_mean_std_over_all_images_and_pixels():
    images = torch.rand(2, 3, 2, 2)
    per_channel = images.transpose(0, 1).reshape(3, -1)
    mean, std = transforms.channel_mean_std(images)
    assert_tensors_close(
        mean, per_channel.mean(dim=1),
        call="channel_mean_std(images of shape (2, 3, 2, 2)), its mean",
        lesson="Each channel's mean is taken over every pixel of every image (dims N, H and W).",
    )  # fmt: skip
    assert_tensors_close(
        std, per_channel.std(dim=1, unbiased=False),
        call="channel_mean_std(images of shape (2, 3, 2, 2)), its std",
        lesson="Each channel's std is taken over dims N, H and W, and is the population standard deviation "
        "(correction=0 / unbiased=False).",
    )  # fmt: skip


@pytest.mark.kata("transforms.channel_mean_std")
def test_channel_mean_std_makes_normalize_standardize():
    images = torch.stack([torch.rand(3, 8, 8) * torch.tensor([1.0, 3.0, 0.5])[:, None, None] + 2 for _ in range(4)])
    mean, std = transforms.channel_mean_std(images)
    normalized = torch.stack([T.Normalize(mean.tolist(), std.tolist())(image) for image in images])
    assert_tensors_close(
        normalized.mean(dim=(0, 2, 3)), torch.zeros(3), atol=1e-5, rtol=0,
        call="T.Normalize(*channel_mean_std(images)) on each image, then the per-channel mean",
        lesson="channel_mean_std gives the numbers to hand to Normalize so that the data becomes mean 0.",
    )  # fmt: skip
    assert_tensors_close(
        normalized.std(dim=(0, 2, 3), unbiased=False), torch.ones(3), atol=1e-5, rtol=0,
        call="T.Normalize(*channel_mean_std(images)) on each image, then the per-channel population std",
        lesson="channel_mean_std gives the numbers to hand to Normalize so that the data becomes std 1 (use the "
        "population standard deviation).",
    )  # fmt: skip


# --- Resize: resize --------------------------------------------------------------------------------


@pytest.mark.kata("transforms.resize")
@pytest.mark.parametrize(
    ("width", "height", "size", "expected_wh"),
    [(30, 20, 10, (15, 10)), (20, 60, 10, (10, 30)), (30, 20, [10, 40], (40, 10)), (8, 8, (4, 2), (2, 4))],
    ids=["int-landscape", "int-portrait", "pair-is-h-w", "tuple-is-h-w"],
)
def test_resize_pil_image(width, height, size, expected_wh):
    result = transforms.resize(gradient_image(width, height), size)
    assert isinstance(result, Image.Image) and result.size == expected_wh, (
        f"Called resize(PIL image of size (w={width}, h={height}), {size}). It returned size "
        f"{getattr(result, 'size', result)}, but the tests expected (w, h) = {expected_wh}: an int sets the smaller "
        "edge and keeps the aspect ratio; a pair is (height, width)."
    )


@pytest.mark.kata("transforms.resize")
@pytest.mark.parametrize(
    ("size", "expected"), [(10, (3, 10, 15)), ([10, 40], (3, 10, 40))], ids=["int-smaller-edge", "pair-is-h-w"]
)
def test_resize_tensor(size, expected):
    result = transforms.resize(torch.rand(3, 20, 30), size)
    assert tuple(result.shape) == expected, f"Called resize(tensor (3, 20, 30), {size}); got {shape_of(result)}"


@pytest.mark.kata("transforms.resize")
def test_resize_pil_and_tensor_agree():
    # Tensor resizing antialiases by default only since torchvision 0.17: compare loosely (1/255 per pixel).
    image = gradient_image(32, 24)
    from_pil = T.PILToTensor()(transforms.resize(image, 12)).float()
    from_tensor = transforms.resize(T.PILToTensor()(image), 12).float()
    assert from_pil.shape == from_tensor.shape == (3, 12, 16)
    assert (from_pil - from_tensor).abs().mean() < 3.0, "PIL and tensor resizing should give nearly the same pixels"


@pytest.mark.kata("transforms.resize")
def test_resize_rejects_a_numpy_array():
    raises_from(
        TypeError, transforms.resize, np.zeros((4, 4, 3), dtype=np.uint8), 2,
        lesson="resize takes a PIL image or a (C, H, W) tensor; a numpy array is not accepted.",
    )  # fmt: skip


# --- RandomCrop: random_crop -----------------------------------------------------------------------


def ones_image(height, width):
    return torch.ones(1, height, width)


def content_box(result):
    """(top, left, bottom, right) of the non-zero area of a (1, H, W) tensor."""
    rows = torch.nonzero(result[0].sum(dim=1)).flatten()
    cols = torch.nonzero(result[0].sum(dim=0)).flatten()
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


@pytest.mark.kata("transforms.random_crop")
@pytest.mark.parametrize(
    ("padding", "padded_hw", "box"),
    [
        (2, (8, 10), (2, 2, 6, 8)),
        ([1, 2], (8, 8), (2, 1, 6, 7)),
        ([1, 2, 3, 4], (10, 10), (2, 1, 6, 7)),
    ],
    ids=["int-all-sides", "two-left-right-top-bottom", "four-left-top-right-bottom"],
)
def test_random_crop_padding_order(padding, padded_hw, box):
    # Cropping the full padded size leaves no randomness: the result is the padded image itself.
    result = transforms.random_crop(ones_image(4, 6), padded_hw, padding=padding)
    assert tuple(result.shape) == (1, *padded_hw), (
        f"Called random_crop(4x6 image, {padded_hw}, padding={padding}); got {shape_of(result)}"
    )
    assert content_box(result) == box, (
        f"Called random_crop(4x6 image of ones, {padded_hw}, padding={padding}). The image sits at (top, left, bottom, "
        f"right) = {content_box(result)}, but the tests expected {box}: 2 values are (left/right, top/bottom) and "
        "4 values are (left, top, right, bottom) - not the order the note gives."
    )


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_rejects_three_padding_values():
    raises_from(
        ValueError, transforms.random_crop, ones_image(4, 6), (4, 6), padding=[1, 2, 3],
        call="random_crop(4x6 image, (4, 6), padding=[1, 2, 3])",
        lesson="padding is an int, two values or four values; any other count is a ValueError.",
    )  # fmt: skip


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_output_size_pil_and_tensor():
    pil = transforms.random_crop(gradient_image(32, 32), 24)
    tensor = transforms.random_crop(torch.rand(3, 32, 32), (20, 24))
    assert isinstance(pil, Image.Image) and pil.size == (24, 24), (
        f"Called random_crop(32x32 PIL image, 24). It returned {shape_of(pil)} {getattr(pil, 'size', '')}, but the "
        "tests expected a PIL image of size (24, 24): an int size is a square, and a PIL image stays a PIL image."
    )
    assert isinstance(tensor, torch.Tensor) and tuple(tensor.shape) == (3, 20, 24), (
        f"Called random_crop(tensor (3, 32, 32), (20, 24)). It returned {shape_of(tensor)}, but the tests expected "
        "tensor (3, 20, 24): a pair size is (height, width)."
    )


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_window_comes_from_the_image():
    image = torch.arange(64.0).reshape(1, 8, 8)
    crop = transforms.random_crop(image, 3)
    top, left = divmod(int(crop[0, 0, 0].item()), 8)
    assert_tensors_equal(
        crop, image[:, top : top + 3, left : left + 3],
        call="random_crop(arange(64) as a (1, 8, 8) tensor, 3)",
        lesson="The result must be the 3x3 window of the image that starts at its top-left value: a crop cuts a "
        "window out, it does not resample.",
    )  # fmt: skip


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_larger_than_image_raises_without_pad_if_needed():
    raises_from(
        ValueError, transforms.random_crop, gradient_image(20, 20), 24,
        call="random_crop(20x20 PIL image, 24)",
        lesson="an image smaller than size is a ValueError unless pad_if_needed pads it.",
    )  # fmt: skip


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_pad_if_needed_pads_a_small_image():
    result = transforms.random_crop(gradient_image(20, 16), 24, pad_if_needed=True)
    assert result.size == (24, 24), (
        f"Called random_crop(20x16 PIL image, 24, pad_if_needed=True). It returned size {result.size}, but the tests "
        "expected (24, 24): pad_if_needed pads the image up to the crop size first."
    )


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_fill_colours_the_padding():
    image = Image.new("RGB", (4, 4), (200, 200, 200))
    result = transforms.random_crop(image, 8, padding=2, fill=(10, 20, 30))
    assert result.getpixel((0, 0)) == (10, 20, 30) and result.getpixel((4, 4)) == (200, 200, 200), (
        f"Called random_crop(4x4 grey PIL image, 8, padding=2, fill=(10, 20, 30)). The corner is "
        f"{result.getpixel((0, 0))} and the centre {result.getpixel((4, 4))}, but the tests expected (10, 20, 30) and "
        "(200, 200, 200): fill colours only the padding."
    )


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_int_fill_on_a_tensor():
    result = transforms.random_crop(ones_image(2, 3), (4, 5), padding=1, fill=7)
    expected = torch.full((1, 4, 5), 7.0)
    expected[:, 1:3, 1:4] = 1.0
    assert_tensors_equal(
        result, expected,
        call="random_crop(tensor of ones (1, 2, 3), (4, 5), padding=1, fill=7)",
        lesson="fill is the padding's pixel value: the padding must be 7 and the image inside it unchanged.",
    )  # fmt: skip


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_is_reproducible_under_a_seed():
    image = torch.rand(3, 32, 32)

    def crop_with_seed(seed):
        torch.manual_seed(seed)
        return transforms.random_crop(image, 24, padding=4)

    assert_tensors_equal(
        crop_with_seed(5), crop_with_seed(5),
        call="torch.manual_seed(5) then random_crop(image, 24, padding=4), twice",
        lesson="The two crops must be equal: the window position comes from torch's global RNG (which RandomCrop "
        "uses), so torch.manual_seed makes it reproducible.",
    )  # fmt: skip
    crops = [crop_with_seed(seed) for seed in range(4)]
    assert any(not torch.equal(crops[0], other) for other in crops[1:]), (
        "Called random_crop(image, 24, padding=4) after torch.manual_seed(0), (1), (2) and (3): the same window every "
        "time. The window's position must be random."
    )
