"""Kata 5 (katas/transforms.py): Compose, ToTensor, ToPILImage, Normalize, Resize and RandomCrop."""

import numpy as np
import pytest
import torch
from PIL import Image
from torchvision import transforms as T

from kata_harness.testing import (
    assert_tensors_close, assert_tensors_equal, lesson, raises_from, says, shape_of, tensors_match,
)
from kata_impl import transforms


def gradient_image(width, height):
    """An RGB PIL image whose pixels all differ: R grows along x, G along y, B is their mix."""
    x = np.linspace(0, 255, width, dtype=np.float32)[None, :].repeat(height, 0)
    y = np.linspace(0, 255, height, dtype=np.float32)[:, None].repeat(width, 1)
    return Image.fromarray(np.stack([x, y, (x + y) / 2], axis=-1).astype(np.uint8), "RGB")


def describe_image(image):
    """A PIL image for a failure message: 'PIL RGB size=(w, h)'; anything else by shape_of."""
    if isinstance(image, Image.Image):
        return f"PIL {image.mode} size={image.size}"
    return shape_of(image)


# --- Compose: resize_then_tensor -------------------------------------------------------------------


def pipeline(size):
    """What resize_then_tensor(size) returned, once it is known to be callable."""
    made = transforms.resize_then_tensor(size)
    assert callable(made), says(
        call=f"resize_then_tensor({size!r})", returned=shape_of(made), expected="transforms.Compose",
        lesson=lesson("transforms.compose_is_one_callable"),
    )  # fmt: skip
    return made


@pytest.mark.kata("transforms.resize_then_tensor")
def test_resize_then_tensor_is_a_compose():
    from torchvision.transforms import v2

    made = transforms.resize_then_tensor(8)
    assert isinstance(made, (T.Compose, v2.Compose)), says(
        call="resize_then_tensor(8)", returned=type(made).__name__, expected="transforms.Compose",
        lesson=lesson("transforms.compose_is_one_callable"),
    )  # fmt: skip


@pytest.mark.kata("transforms.resize_then_tensor")
def test_resize_then_tensor_resizes_the_pil_image_then_converts():
    # ToTensor first and Resize second would resize floats instead of the PIL image's pixels: slightly other values.
    image = gradient_image(40, 20)
    expected = T.ToTensor()(T.Resize(10)(image))
    call = "resize_then_tensor(10)(PIL RGB size=(40, 20))"
    result = pipeline(10)(image)
    assert isinstance(result, torch.Tensor) and result.shape == expected.shape, says(
        call=call, returned=describe_image(result), expected=shape_of(expected),
        lesson=lesson("transforms.resize_then_tensor_shape"), picture=(result, expected), source=image,
    )  # fmt: skip
    assert_tensors_close(
        result, expected, check_dtype=True, call=call, lesson=lesson("transforms.resize_then_tensor_order"),
        picture=True, source=image,
    )


@pytest.mark.kata("transforms.resize_then_tensor")
def test_resize_then_tensor_output_shape():
    image = gradient_image(40, 20)
    result = pipeline(10)(image)
    assert isinstance(result, torch.Tensor) and tuple(result.shape) == (3, 10, 20), says(
        call="resize_then_tensor(10)(PIL RGB size=(40, 20))", returned=describe_image(result),
        expected="tensor (3, 10, 20)", lesson=lesson("transforms.resize_then_tensor_shape"),
        picture=(result, T.ToTensor()(T.Resize(10)(image))), source=image,
    )  # fmt: skip


@pytest.mark.kata("transforms.resize_then_tensor")
def test_resize_then_tensor_pair_size_is_height_width():
    image = gradient_image(40, 20)
    result = pipeline((12, 8))(image)
    assert isinstance(result, torch.Tensor) and tuple(result.shape) == (3, 12, 8), says(
        call="resize_then_tensor((12, 8))(PIL RGB size=(40, 20))", returned=describe_image(result),
        expected="tensor (3, 12, 8)", lesson=lesson("transforms.pair_size_is_height_width"),
        picture=(result, T.ToTensor()(T.Resize((12, 8))(image))), source=image,
    )  # fmt: skip


# --- ToTensor: image_to_tensor ---------------------------------------------------------------------


@pytest.mark.kata("transforms.image_to_tensor")
def test_image_to_tensor_uint8_hwc_becomes_float_chw_over_255():
    array = np.arange(18, dtype=np.uint8).reshape(2, 3, 3) * 10  # (H=2, W=3, C=3)
    expected = torch.from_numpy(array).permute(2, 0, 1).float() / 255
    call = "image_to_tensor(uint8 array (2, 3, 3))"
    result = transforms.image_to_tensor(array)
    assert isinstance(result, torch.Tensor) and tuple(result.shape) == (3, 2, 3), says(
        call=call, returned=shape_of(result), expected="tensor (3, 2, 3) float32",
        lesson=lesson("transforms.hwc_becomes_chw"), picture=(result, expected), source=array,
    )  # fmt: skip
    same_values = tensors_match(result.flatten().sort().values, expected.flatten().sort().values, check_dtype=False)
    rule = lesson("transforms.channels_moved_not_reshaped") if same_values else lesson("transforms.uint8_over_255")
    assert_tensors_close(result, expected, call=call, lesson=rule, picture=True, source=array)


@pytest.mark.kata("transforms.image_to_tensor")
def test_image_to_tensor_pil_image_is_chw_float32_in_unit_range():
    call = "image_to_tensor(PIL RGB size=(4, 2))"
    image = gradient_image(4, 2)
    result = transforms.image_to_tensor(image)
    assert isinstance(result, torch.Tensor) and (tuple(result.shape), result.dtype) == ((3, 2, 4), torch.float32), says(
        call=call, returned=shape_of(result), expected="tensor (3, 2, 4) float32",
        lesson=lesson("transforms.pil_becomes_chw"), picture=(result, T.ToTensor()(image)), source=image,
    )  # fmt: skip
    low, high = result.min().item(), result.max().item()
    assert low >= 0.0 and high == 1.0, says(
        call=call, lesson=lesson("transforms.pil_unit_range", low=f"{low:g}", high=f"{high:g}"),
        picture=(result, T.ToTensor()(image)), source=image,
    )  # fmt: skip


@pytest.mark.kata("transforms.image_to_tensor")
@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda: Image.new("L", (5, 3), 51), "Image.new('L', (5, 3), 51)"),
        (lambda: np.full((3, 5), 51, np.uint8), "np.full((3, 5), 51, np.uint8)"),
    ],
    ids=["pil-L", "array-HW"],
)
def test_image_to_tensor_grayscale_gets_a_channel_dimension(make, what):
    call = f"image_to_tensor({what})"
    result = transforms.image_to_tensor(make())
    assert isinstance(result, torch.Tensor) and tuple(result.shape) == (1, 3, 5), says(
        call=call, returned=shape_of(result), expected="tensor (1, 3, 5) float32",
        lesson=lesson("transforms.grayscale_channel_dimension"),
    )  # fmt: skip
    assert_tensors_close(
        result, torch.full((1, 3, 5), 0.2), call=call, lesson=lesson("transforms.grayscale_over_255")
    )


@pytest.mark.kata("transforms.image_to_tensor")
def test_image_to_tensor_float_array_is_not_rescaled():
    array = np.arange(12, dtype=np.float32).reshape(2, 3, 2) / 4 + 2  # (H=2, W=3, C=2), values 2.0 .. 4.75
    expected = torch.from_numpy(array.copy()).permute(2, 0, 1)
    result = transforms.image_to_tensor(array)
    assert_tensors_equal(
        result, expected,
        call="image_to_tensor(np.arange(12, dtype=np.float32).reshape(2, 3, 2) / 4 + 2)",
        lesson=lesson("transforms.float_array_not_rescaled"),
    )  # fmt: skip


@pytest.mark.kata("transforms.image_to_tensor")
def test_image_to_tensor_rejects_a_tensor():
    raises_from(
        TypeError, transforms.image_to_tensor, torch.zeros(3, 2, 2),
        lesson=lesson("transforms.to_tensor_rejects_tensors"),
    )  # fmt: skip


# --- ToPILImage: tensor_to_image -------------------------------------------------------------------


@pytest.mark.kata("transforms.tensor_to_image")
def test_tensor_to_image_round_trips_uint8_exactly():
    original = gradient_image(7, 5)
    call = "tensor_to_image(ToTensor()(PIL RGB size=(7, 5)))"
    tensor = T.ToTensor()(original)
    back = transforms.tensor_to_image(tensor.clone())
    assert isinstance(back, Image.Image) and (back.mode, back.size) == ("RGB", (7, 5)), says(
        call=call, returned=describe_image(back), expected="PIL RGB size=(7, 5)",
        lesson=lesson("transforms.pil_size_is_wh"), picture=(back, original), source=tensor,
    )  # fmt: skip
    differ = int((np.array(back).astype(int) != np.array(original).astype(int)).sum())
    assert differ == 0, says(
        call=call, lesson=lesson("transforms.round_trip_pixels", differ=differ, total=np.array(original).size),
        picture=(back, original), source=tensor,
    )  # fmt: skip


@pytest.mark.kata("transforms.tensor_to_image")
def test_tensor_to_image_size_is_width_by_height():
    tensor = torch.rand(3, 2, 5)
    back = transforms.tensor_to_image(tensor.clone())
    assert isinstance(back, Image.Image) and back.size == (5, 2), says(
        call="tensor_to_image(tensor (3, 2, 5) float32)", returned=describe_image(back), expected="PIL RGB size=(5, 2)",
        lesson=lesson("transforms.pil_size_is_wh"), picture=(back, T.ToPILImage()(tensor)), source=tensor,
    )  # fmt: skip


@pytest.mark.kata("transforms.tensor_to_image")
def test_tensor_to_image_single_channel_uint8_is_grayscale_as_is():
    back = transforms.tensor_to_image(torch.full((1, 3, 4), 100, dtype=torch.uint8))
    pixels = np.array(back).tolist() if isinstance(back, Image.Image) else None
    if not isinstance(back, Image.Image) or back.mode != "L":
        rule = lesson("transforms.one_channel_is_grayscale")
    elif back.size != (4, 3):
        rule = lesson("transforms.pil_size_is_wh")
    else:
        rule = lesson("transforms.uint8_values_as_is")
    right = isinstance(back, Image.Image) and (back.mode, back.size) == ("L", (4, 3)) and pixels == [[100] * 4] * 3
    assert right, says(
        call="tensor_to_image(torch.full((1, 3, 4), 100, dtype=torch.uint8))",
        returned=f"{describe_image(back)} {pixels}", expected=f"PIL L size=(4, 3) {[[100] * 4] * 3}", lesson=rule,
        picture=(back, Image.new("L", (4, 3), 100)), source=torch.full((1, 3, 4), 100, dtype=torch.uint8),
    )  # fmt: skip


@pytest.mark.kata("transforms.tensor_to_image")
def test_tensor_to_image_accepts_an_hwc_array():
    array = np.array(gradient_image(6, 4))  # (H=4, W=6, C=3) uint8
    call = "tensor_to_image(uint8 array (4, 6, 3))"
    back = transforms.tensor_to_image(array.copy())
    assert isinstance(back, Image.Image) and (back.mode, back.size) == ("RGB", (6, 4)), says(
        call=call, returned=describe_image(back), expected="PIL RGB size=(6, 4)",
        lesson=lesson("transforms.array_is_hwc"), picture=(back, array), source=array,
    )  # fmt: skip
    assert np.array_equal(np.array(back), array), says(
        call=call, lesson=lesson("transforms.array_pixels_kept"), picture=(back, array), source=array
    )


# --- Normalize: normalize --------------------------------------------------------------------------


@pytest.mark.kata("transforms.normalize")
def test_normalize_applies_the_per_channel_formula():
    x = T.ToTensor()(gradient_image(4, 4))  # a picture, not noise: a failure's picture shows what moved
    mean, std = [0.1, 0.2, 0.3], [0.5, 0.25, 2.0]
    expected = (x - torch.tensor(mean)[:, None, None]) / torch.tensor(std)[:, None, None]
    result = transforms.normalize(x.clone(), mean, std)
    assert_tensors_close(
        result, expected,
        call=f"normalize(tensor (3, 4, 4), mean={mean}, std={std})",
        lesson=lesson("transforms.normalize_per_channel"), picture=True, source=x,
    )  # fmt: skip


@pytest.mark.kata("transforms.normalize")
def test_normalize_does_not_force_mean_zero_std_one():
    # The note claims Normalize produces a standard normal distribution. It does not: it is an affine map.
    x = 0.7 + 0.2 * torch.rand(3, 16, 16)  # data in [0.7, 0.9]
    expected_mean = (x.mean() - 0.5) / 0.5  # computed first: a normalize that overwrites x must not move the target
    result = transforms.normalize(x, [0.5] * 3, [0.5] * 3)
    assert_tensors_close(
        result.mean(), expected_mean,
        call="normalize(0.7 + 0.2 * torch.rand(3, 16, 16), [0.5] * 3, [0.5] * 3).mean()",
        lesson=lesson("transforms.normalize_is_affine"),
    )  # fmt: skip


@pytest.mark.kata("transforms.normalize")
def test_normalize_single_value_applies_to_every_channel():
    x = torch.rand(3, 2, 2)
    expected = (x - 0.5) / 0.25  # computed before the call: a normalize that overwrites x must not move the target
    assert_tensors_close(
        transforms.normalize(x, [0.5], [0.25]), expected,
        call="normalize(tensor (3, 2, 2), [0.5], [0.25])",
        lesson=lesson("transforms.normalize_single_value"),
    )  # fmt: skip


@pytest.mark.kata("transforms.normalize")
def test_normalize_does_not_modify_its_input():
    x = torch.rand(3, 2, 2)
    before = x.clone()
    transforms.normalize(x, [0.5] * 3, [0.5] * 3)
    assert_tensors_equal(
        x, before,
        call="normalize(x, [0.5] * 3, [0.5] * 3); x",
        lesson=lesson("transforms.normalize_leaves_input"),
    )  # fmt: skip


@pytest.mark.kata("transforms.normalize")
def test_normalize_rejects_a_pil_image():
    raises_from(
        TypeError, transforms.normalize, gradient_image(2, 2), [0.5] * 3, [0.5] * 3,
        call="normalize(PIL RGB size=(2, 2), [0.5] * 3, [0.5] * 3)",
        lesson=lesson("transforms.normalize_needs_a_tensor"),
    )  # fmt: skip


# --- channel_mean_std ------------------------------------------------------------------------------


@pytest.mark.kata("transforms.channel_mean_std")
def test_channel_mean_std_gives_one_value_per_channel():
    images = torch.rand(5, 3, 4, 6)
    mean, std = transforms.channel_mean_std(images)
    assert tuple(getattr(mean, "shape", ())) == (3,) and tuple(getattr(std, "shape", ())) == (3,), says(
        call="channel_mean_std(tensor (5, 3, 4, 6))", returned=f"({shape_of(mean)}, {shape_of(std)})",
        expected="(tensor (3,), tensor (3,))", lesson=lesson("transforms.one_value_per_channel"),
    )  # fmt: skip


@pytest.mark.kata("transforms.channel_mean_std")
def test_channel_mean_std_over_all_images_and_pixels():
    images = torch.rand(2, 3, 2, 2)
    per_channel = images.transpose(0, 1).reshape(3, -1)
    expected_mean, expected_std = per_channel.mean(dim=1), per_channel.std(dim=1, unbiased=False)
    mean, std = transforms.channel_mean_std(images)
    assert_tensors_close(
        mean, expected_mean,
        call="channel_mean_std(tensor (2, 3, 2, 2))[0]",
        lesson=lesson("transforms.mean_over_n_h_w"),
    )  # fmt: skip
    assert_tensors_close(
        std, expected_std,
        call="channel_mean_std(tensor (2, 3, 2, 2))[1]",
        lesson=lesson("transforms.population_std"),
    )  # fmt: skip


@pytest.mark.kata("transforms.channel_mean_std")
def test_channel_mean_std_makes_normalize_standardize():
    images = torch.stack([torch.rand(3, 8, 8) * torch.tensor([1.0, 3.0, 0.5])[:, None, None] + 2 for _ in range(4)])
    mean, std = transforms.channel_mean_std(images.clone())
    assert tuple(getattr(mean, "shape", ())) == (3,) and tuple(getattr(std, "shape", ())) == (3,), says(
        call="channel_mean_std(tensor (4, 3, 8, 8))", returned=f"({shape_of(mean)}, {shape_of(std)})",
        expected="(tensor (3,), tensor (3,))", lesson=lesson("transforms.one_value_per_channel"),
    )  # fmt: skip
    normalized_call = "torch.stack([T.Normalize(mean.tolist(), std.tolist())(image) for image in images])"
    normalized = torch.stack([T.Normalize(mean.tolist(), std.tolist())(image) for image in images])
    assert_tensors_close(
        normalized.mean(dim=(0, 2, 3)), torch.zeros(3), atol=1e-5, rtol=0,
        call=f"{normalized_call}.mean(dim=(0, 2, 3))",
        lesson=lesson("transforms.stats_give_mean_zero"),
    )  # fmt: skip
    assert_tensors_close(
        normalized.std(dim=(0, 2, 3), unbiased=False), torch.ones(3), atol=1e-5, rtol=0,
        call=f"{normalized_call}.std(dim=(0, 2, 3), unbiased=False)",
        lesson=lesson("transforms.stats_give_std_one"),
    )  # fmt: skip


# --- Resize: resize --------------------------------------------------------------------------------


@pytest.mark.kata("transforms.resize")
@pytest.mark.parametrize(
    ("width", "height", "size", "expected_wh"),
    [(30, 20, 10, (15, 10)), (20, 60, 10, (10, 30)), (30, 20, [10, 40], (40, 10)), (8, 8, (4, 2), (2, 4))],
    ids=["int-landscape", "int-portrait", "pair-is-h-w", "tuple-is-h-w"],
)
def test_resize_pil_image(width, height, size, expected_wh):
    image = gradient_image(width, height)
    result = transforms.resize(image.copy(), size)
    if isinstance(size, int):
        rule = lesson("transforms.int_size_is_smaller_edge", size=size)
    else:
        rule = lesson("transforms.pair_size_is_height_width")
    assert isinstance(result, Image.Image) and result.size == expected_wh, says(
        call=f"resize(PIL RGB size=({width}, {height}), {size!r})", returned=describe_image(result),
        expected=f"PIL RGB size={expected_wh}", lesson=lesson("transforms.pil_size_is_wh_then", rule=rule),
        picture=(result, T.Resize(size)(image)), source=image,
    )  # fmt: skip


@pytest.mark.kata("transforms.resize")
@pytest.mark.parametrize(
    ("size", "expected"), [(10, (3, 10, 15)), ([10, 40], (3, 10, 40))], ids=["int-smaller-edge", "pair-is-h-w"]
)
def test_resize_tensor(size, expected):
    image = T.ToTensor()(gradient_image(30, 20))
    result = transforms.resize(image.clone(), size)
    if isinstance(size, int):
        rule = lesson("transforms.int_size_is_smaller_edge", size=size)
    else:
        rule = lesson("transforms.pair_size_is_height_width")
    assert isinstance(result, torch.Tensor) and tuple(result.shape) == expected, says(
        call=f"resize(tensor (3, 20, 30), {size!r})", returned=describe_image(result), expected=f"tensor {expected}",
        lesson=lesson("transforms.tensor_stays_a_tensor_then", rule=rule),
        picture=(result, T.Resize(size, antialias=True)(image)), source=image,
    )  # fmt: skip


@pytest.mark.kata("transforms.resize")
def test_resize_pil_and_tensor_agree():
    # Tensor resizing antialiases by default only since torchvision 0.17: compare loosely (1/255 per pixel).
    image = gradient_image(32, 24)
    resized_pil = transforms.resize(image, 12)
    resized_tensor = transforms.resize(T.PILToTensor()(image), 12)
    assert isinstance(resized_pil, Image.Image) and isinstance(resized_tensor, torch.Tensor), says(
        call="resize(PIL RGB size=(32, 24), 12), resize(PILToTensor()(PIL RGB size=(32, 24)), 12)",
        returned=f"{describe_image(resized_pil)}, {describe_image(resized_tensor)}",
        expected="PIL RGB size=(16, 12), tensor (3, 12, 16) uint8", lesson=lesson("transforms.resize_keeps_the_kind"),
    )  # fmt: skip
    from_pil = T.PILToTensor()(resized_pil).float()
    from_tensor = resized_tensor.float()
    assert tuple(from_pil.shape) == tuple(from_tensor.shape) == (3, 12, 16), says(
        call="PILToTensor()(resize(PIL RGB size=(32, 24), 12)), resize(PILToTensor()(PIL RGB size=(32, 24)), 12)",
        returned=f"{shape_of(from_pil)}, {shape_of(from_tensor)}", expected="tensor (3, 12, 16), tensor (3, 12, 16)",
        lesson=lesson("transforms.int_size_is_smaller_edge", size=12)
        if from_pil.shape == from_tensor.shape
        else lesson("transforms.pil_and_tensor_same_shape"),
        picture=(resized_tensor, T.Resize(12)(image)), source=image,
    )  # fmt: skip
    difference = (from_pil - from_tensor).abs().mean().item()
    assert difference < 3.0, says(
        call="resize(PIL RGB size=(32, 24), 12), resize(PILToTensor()(PIL RGB size=(32, 24)), 12)",
        lesson=lesson("transforms.pil_and_tensor_same_pixels", difference=f"{difference:.2f}"),
    )  # fmt: skip


@pytest.mark.kata("transforms.resize")
def test_resize_rejects_a_numpy_array():
    raises_from(
        TypeError, transforms.resize, np.zeros((4, 4, 3), dtype=np.uint8), 2,
        lesson=lesson("transforms.resize_rejects_arrays"),
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
        ([1, 2, 3, 1], (7, 10), (2, 1, 6, 7)),  # another order of these four pads to the same size elsewhere
    ],
    ids=["int-all-sides", "two-left-right-top-bottom", "four-left-top-right-bottom", "four-same-size-other-place"],
)
def test_random_crop_padding_order(padding, padded_hw, box):
    # Cropping the full padded size leaves no randomness: the result is the padded image itself.
    call = f"random_crop(torch.ones(1, 4, 6), {padded_hw}, padding={padding})"
    result = transforms.random_crop(ones_image(4, 6), padded_hw, padding=padding)
    expected = torch.zeros(1, *padded_hw)
    expected[:, box[0] : box[2], box[1] : box[3]] = 1.0
    assert isinstance(result, torch.Tensor) and tuple(result.shape) == (1, *padded_hw), says(
        call=call, returned=describe_image(result), expected=f"tensor {(1, *padded_hw)}",
        lesson=lesson("transforms.padding_then_crop_size"), picture=(result, expected), source=ones_image(4, 6),
    )  # fmt: skip
    got = content_box(result)
    assert got == box, says(
        call=call, lesson=lesson("transforms.padding_order", got=got, expected=box),
        picture=(result, expected), source=ones_image(4, 6),
    )  # fmt: skip


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_rejects_three_padding_values():
    raises_from(
        ValueError, transforms.random_crop, ones_image(4, 6), (4, 6), padding=[1, 2, 3],
        call="random_crop(torch.ones(1, 4, 6), (4, 6), padding=[1, 2, 3])",
        lesson=lesson("transforms.padding_counts"),
    )  # fmt: skip


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_output_size_pil_and_tensor():
    pil = transforms.random_crop(gradient_image(32, 32), 24)
    tensor = transforms.random_crop(torch.rand(3, 32, 32), (20, 24))
    assert isinstance(pil, Image.Image) and pil.size == (24, 24), says(
        call="random_crop(PIL RGB size=(32, 32), 24)", returned=describe_image(pil), expected="PIL RGB size=(24, 24)",
        lesson=lesson("transforms.crop_int_size_is_square"),
    )  # fmt: skip
    assert isinstance(tensor, torch.Tensor) and tuple(tensor.shape) == (3, 20, 24), says(
        call="random_crop(tensor (3, 32, 32), (20, 24))", returned=describe_image(tensor),
        expected="tensor (3, 20, 24)",
        lesson=lesson("transforms.pair_size_is_height_width"),
    )  # fmt: skip


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_window_comes_from_the_image():
    image = torch.arange(64.0).reshape(1, 8, 8)
    call = "random_crop(torch.arange(64.0).reshape(1, 8, 8), 3)"
    crop = transforms.random_crop(image.clone(), 3)
    assert isinstance(crop, torch.Tensor) and tuple(crop.shape) == (1, 3, 3), says(
        call=call, returned=describe_image(crop), expected="tensor (1, 3, 3)",
        lesson=lesson("transforms.crop_int_size_is_square"),
    )  # fmt: skip
    top, left = divmod(int(crop[0, 0, 0].item()), 8)
    assert_tensors_equal(
        crop, image[:, top : top + 3, left : left + 3], call=call, lesson=lesson("transforms.crop_is_a_window"),
        picture=True, source=image,
    )


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_larger_than_image_raises_without_pad_if_needed():
    raises_from(
        ValueError, transforms.random_crop, gradient_image(20, 20), 24,
        call="random_crop(PIL RGB size=(20, 20), 24)",
        lesson=lesson("transforms.too_small_without_pad_if_needed"),
    )  # fmt: skip


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_pad_if_needed_pads_a_small_image():
    result = transforms.random_crop(gradient_image(20, 16), 24, pad_if_needed=True)
    assert isinstance(result, Image.Image) and result.size == (24, 24), says(
        call="random_crop(PIL RGB size=(20, 16), 24, pad_if_needed=True)", returned=describe_image(result),
        expected="PIL RGB size=(24, 24)", lesson=lesson("transforms.pad_if_needed_pads_up"),
    )  # fmt: skip


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_fill_colours_the_padding():
    image = Image.new("RGB", (4, 4), (200, 200, 200))
    result = transforms.random_crop(image.copy(), 8, padding=2, fill=(10, 20, 30))
    is_pil = isinstance(result, Image.Image)
    got = (result.getpixel((0, 0)), result.getpixel((4, 4))) if is_pil else describe_image(result)
    expected = Image.new("RGB", (8, 8), (10, 20, 30))
    expected.paste(image, (2, 2))
    assert got == ((10, 20, 30), (200, 200, 200)), says(
        call="random_crop(Image.new('RGB', (4, 4), (200, 200, 200)), 8, padding=2, fill=(10, 20, 30))",
        lesson=lesson("transforms.fill_colours_the_padding", got=got), picture=(result, expected), source=image,
    )  # fmt: skip


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_int_fill_on_a_tensor():
    result = transforms.random_crop(ones_image(2, 3), (4, 5), padding=1, fill=7)
    expected = torch.full((1, 4, 5), 7.0)
    expected[:, 1:3, 1:4] = 1.0
    assert_tensors_equal(
        result, expected,
        call="random_crop(torch.ones(1, 2, 3), (4, 5), padding=1, fill=7)",
        lesson=lesson("transforms.int_fill_is_the_padding_value"), picture=True, source=ones_image(2, 3),
    )  # fmt: skip


@pytest.mark.kata("transforms.random_crop")
def test_random_crop_is_reproducible_under_a_seed():
    image = torch.rand(3, 32, 32)

    def crop_with_seed(seed):
        torch.manual_seed(seed)
        return transforms.random_crop(image, 24, padding=4)

    assert_tensors_equal(
        crop_with_seed(5), crop_with_seed(5),
        call="torch.manual_seed(5); random_crop(image, 24, padding=4)  # x2",
        lesson=lesson("transforms.crop_follows_the_global_seed"),
    )  # fmt: skip
    crops = [crop_with_seed(seed) for seed in range(4)]
    assert any(not torch.equal(crops[0], other) for other in crops[1:]), says(
        call="torch.manual_seed(seed); random_crop(image, 24, padding=4)  # seed in 0, 1, 2, 3",
        lesson=lesson("transforms.crop_window_is_random"),
    )  # fmt: skip
