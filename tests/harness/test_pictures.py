"""Pictures of failing image comparisons (kata_harness.pictures): known mistakes, drawn as a learner would see them.

Each mistake is rendered to a PNG whose panels are checked pixel by pixel, and to the terminal (24-bit colour,
grey, or not at all). Nothing is written into the checkout.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from kata_harness import pictures, testing
from kata_harness.paths import ROOT

ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(autouse=True)
def pictures_go_to_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv(pictures.ENV_DIR, str(tmp_path / "pictures"))
    monkeypatch.delenv(pictures.ENV_MODE, raising=False)
    monkeypatch.delenv(pictures.ENV_COLUMNS, raising=False)


def photo(height=32, width=32) -> torch.Tensor:
    """A uint8 HWC image whose four quadrants have four colours: a wrong corner or a swap shows at once."""
    image = torch.zeros(height, width, 3, dtype=torch.uint8)
    image[: height // 2, : width // 2] = torch.tensor([220, 30, 30], dtype=torch.uint8)
    image[: height // 2, width // 2 :] = torch.tensor([30, 220, 30], dtype=torch.uint8)
    image[height // 2 :, : width // 2] = torch.tensor([30, 30, 220], dtype=torch.uint8)
    image[height // 2 :, width // 2 :] = torch.tensor([230, 230, 40], dtype=torch.uint8)
    return image


def to_tensor(image: torch.Tensor) -> torch.Tensor:
    return image.permute(2, 0, 1).float() / 255


def png_panels(picture: pictures.Pictures) -> dict[str, np.ndarray]:
    """Each panel cut out of the written PNG, shrunk back to the panel's own pixels."""
    from PIL import Image

    image = np.asarray(Image.open(picture.png).convert("RGB"))
    _, boxes = pictures.layout(picture)
    found = {}
    for panel, (left, top, width, height) in zip(picture.panels, boxes):
        factor = width // panel.rgb.shape[1]
        found[panel.role] = image[top : top + height : factor, left : left + width : factor]
    return found


def draw(actual, expected, source=None, lang="en") -> pictures.Pictures:
    picture = pictures.build(actual, expected, source)
    pictures.write_png(picture, "tests/katas/test_transforms.py::test_case", lang)
    return picture


def test_a_wrong_crop_corner_shows_in_the_png_panel_by_panel():
    image = photo()
    expected = to_tensor(image)[:, :16, :16]  # the top-left corner: red
    yours = to_tensor(image)[:, 16:, 16:]  # the bottom-right one: yellow
    panels = png_panels(draw(yours, expected, image))
    assert list(panels) == ["input", "yours", "expected", "difference"]
    assert panels["input"].shape == (32, 32, 3) and (panels["input"][0, 0] == [220, 30, 30]).all()
    assert (panels["yours"] == [230, 230, 40]).all(), "the learner's crop is all yellow"
    assert (panels["expected"] == [220, 30, 30]).all(), "the right crop is all red"
    assert (panels["difference"][..., 0] > 0).all() and (panels["difference"][..., 1:] == 0).all(), "red everywhere"


def test_hwc_read_as_chw_scrambles_the_picture_and_the_difference_map_marks_it():
    image = photo()
    expected = to_tensor(image)
    yours = (image.float() / 255).reshape(3, 32, 32)  # the bytes read in the wrong order: no permute
    panels = png_panels(draw(yours, expected, image))
    assert not np.array_equal(panels["yours"], panels["expected"])
    agree = (yours - expected).abs().amax(0) == 0
    assert (panels["difference"][agree.numpy()] == 0).all() and (panels["difference"][~agree.numpy()][:, 0] > 0).all()


def test_an_unscaled_to_tensor_is_white_next_to_the_expected_grey_and_the_captions_give_both_ranges():
    image = torch.full((8, 8, 3), 128, dtype=torch.uint8)
    expected = to_tensor(image)  # 0.502: mid-grey on [0, 1]
    yours = image.permute(2, 0, 1).float()  # 128.0: far beyond 1 on the same scale
    picture = draw(yours, expected, image)
    panels = png_panels(picture)
    assert (panels["yours"] == 255).all() and (panels["expected"] == 128).all()
    captions = "\n".join(picture.lines("en", colour=None))
    assert "yours: (3, 8, 8) float32, values [128, 128]" in captions
    assert "expected: (3, 8, 8) float32, values [0.502, 0.502]" in captions


def test_images_of_different_shapes_are_drawn_at_their_own_sizes_without_a_difference_map():
    image = photo()
    picture = draw(to_tensor(image)[:, :, :16], to_tensor(image), image)
    panels = png_panels(picture)
    assert panels["yours"].shape[:2] == (32, 16) and panels["expected"].shape[:2] == (32, 32)
    assert "difference" not in panels
    assert any("the shapes differ" in line for line in picture.lines("en", colour=None))


def test_the_terminal_picture_is_two_pixels_per_cell_in_24_bit_colour_and_fits_the_width():
    image = photo()
    picture = pictures.build(to_tensor(image)[:, 16:, 16:], to_tensor(image)[:, :16, :16], image)
    lines = picture.lines("en", columns=200, colour=True)
    drawn = [line for line in lines if "\u2580" in line]
    assert len(drawn) == 16, "a 32-pixel-high input: 16 rows of half blocks"
    assert "\x1b[38;2;220;30;30m" in lines[1] and "\x1b[48;2;" in lines[1], "24-bit foreground and background"
    assert len(ESCAPE.sub("", drawn[0])) == 32 + 2 + 16 + 2 + 16 + 2 + 16, "each panel at its size, 2 spaces apart"
    narrow = picture.lines("en", columns=60, colour=True)
    assert max(len(ESCAPE.sub("", line)) for line in narrow if "\u2580" in line) <= 60


def test_without_colour_the_picture_is_grey_and_without_a_terminal_only_the_captions_and_the_file():
    image = photo()
    picture = draw(to_tensor(image)[:, 16:, 16:], to_tensor(image)[:, :16, :16], image)
    grey = picture.lines("en", columns=120, colour=False)
    assert not any("\x1b" in line for line in grey) and any(set(line) & set(pictures.GREYS[1:]) for line in grey)
    plain = picture.lines("en", columns=120, colour=None)
    assert not any("\u2580" in line or "\x1b" in line for line in plain)
    assert plain[-1] == f"  the same picture as a PNG: {picture.png}"


@pytest.mark.parametrize("encoding, mode", [("utf-8", "colour"), ("gbk", "grey"), ("cp1252", "grey")])
def test_a_console_that_cannot_print_the_half_block_gets_grey_shades(monkeypatch, encoding, mode):
    import io

    class Console(io.TextIOWrapper):
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    console = Console(io.BytesIO(), encoding=encoding)
    assert pictures.mode_for(console) == mode
    picture = pictures.build(torch.zeros(3, 4, 4), torch.ones(3, 4, 4))
    lang = "en" if encoding == "cp1252" else "zh"  # cp1252 cannot show Chinese at all (console.py replaces it)
    lines = picture.lines(lang, colour=pictures.MODES[mode])
    "\n".join(lines).encode(encoding)  # every line prints on that console


def test_the_terminal_mode_follows_pytest_no_color_and_the_runner(monkeypatch):
    assert pictures.terminal_mode(has_markup=True) is True
    monkeypatch.setenv(pictures.ENV_MODE, "grey")
    assert pictures.terminal_mode(has_markup=True) is False
    monkeypatch.setenv(pictures.ENV_MODE, "none")
    assert pictures.terminal_mode(has_markup=True) is None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_captions_follow_the_language(lang):
    image = photo(8, 8)
    picture = pictures.build(to_tensor(image), to_tensor(image) * 0.5, image)
    text = "\n".join(picture.lines(lang, colour=None))
    words = {"en": ["input: (8, 8, 3) uint8", "yours: (3, 8, 8)", "difference: black"],
             "zh": ["输入：(8, 8, 3) uint8", "你的结果：(3, 8, 8)", "差异：黑色"]}[lang]  # fmt: skip
    assert all(word in text for word in words), text


def test_pictures_never_go_into_the_checkout(monkeypatch, tmp_path):
    assert not pictures.pictures_dir().resolve().is_relative_to(ROOT)
    monkeypatch.delenv(pictures.ENV_DIR)
    assert not pictures.pictures_dir().resolve().is_relative_to(ROOT), "the platform's cache folder"
    monkeypatch.setenv(pictures.ENV_DIR, str(ROOT / "pictures"))
    with pytest.raises(ValueError, match="inside the checkout"):
        draw(torch.zeros(3, 4, 4), torch.ones(3, 4, 4))
    assert not (ROOT / "pictures").exists()


def test_a_failing_comparison_with_picture_carries_its_pictures_and_a_passing_one_nothing():
    image = photo(8, 8)
    with pytest.raises(AssertionError) as failed:
        testing.assert_tensors_close(to_tensor(image) * 255, to_tensor(image), picture=True, source=image)
    picture = failed.value.kata_pictures
    assert [p.role for p in picture.panels] == ["input", "yours", "expected", "difference"] and picture.png.is_file()
    testing.assert_tensors_close(to_tensor(image), to_tensor(image), picture=True, source=image)
    with pytest.raises(AssertionError) as plain:
        testing.assert_tensors_close(torch.zeros(5), torch.ones(5), picture=True)
    assert not hasattr(plain.value, "kata_pictures"), "a vector is not an image"


def test_a_failing_shape_check_says_so_with_a_picture_of_both_sizes_and_only_its_own_failure_gets_it():
    from PIL import Image

    expected = Image.fromarray(photo(12, 8).numpy())  # 8 wide, 12 high
    swapped = to_tensor(photo(8, 12))  # the learner's (H, W) read as (W, H)
    message = testing.says(call="resize(image, (12, 8))", returned="tensor (3, 8, 12)", expected="PIL size=(8, 12)",
                           picture=(swapped, expected), source=photo(16, 16))  # fmt: skip
    assert testing.take_picture("another test's failure") is None, "a message that is not the picture's own"
    testing.says(lesson="a second failure", picture=(swapped, expected))
    testing.take_picture(None)
    assert testing.take_picture("a second failure") is None, "forgotten once taken (the plugin: before each test)"
    testing.says(call="resize(image, (12, 8))", picture=(swapped, expected), source=photo(16, 16))
    picture = testing.take_picture(f"{message}\nassert False")
    assert picture is not None and [p.role for p in picture.panels] == ["input", "yours", "expected"]
    assert picture.panels[2].fields["shape"] == "PIL RGB size=(8, 12)" and picture.panels[2].rgb.shape == (12, 8, 3)
    assert picture.panels[1].rgb.shape == (8, 12, 3) and picture.png.is_file()
    assert testing.says(lesson="not an image", picture=(torch.zeros(5), torch.ones(5))) == "not an image"
    assert testing.take_picture("not an image") is None


def test_feature_maps_are_drawn_one_grey_tile_per_channel_a_row_per_sample():
    maps = torch.zeros(2, 3, 5, 4)
    maps[:, 1] = 1.0
    with pytest.raises(AssertionError) as failed:
        testing.assert_tensors_close(maps * 0.5, maps, picture="maps")
    picture = failed.value.kata_pictures
    yours = picture.panels[0].rgb
    assert yours.shape == (2 * (5 + 1) + 1, 3 * (4 + 1) + 1, 3), "make_grid: 3 tiles a row, 2 rows, 1-pixel borders"
    assert (yours[..., 0] == yours[..., 1]).all() and (yours[..., 1] == yours[..., 2]).all(), "grey"
    assert yours[1, 1].tolist() == [0, 0, 0] and yours[1, 6].tolist() == [128, 128, 128], "channel 1 at half scale"
    assert picture.panels[-1].role == "difference" and picture.panels[-1].rgb[1, 6, 0] > 0


def test_the_pytest_report_and_its_language_carry_the_picture_of_a_failing_shape_check(run_pytest, tmp_path):
    done = run_pytest(
        "tests/katas/test_transforms.py", "-k", "test_resize_then_tensor_pair_size_is_height_width",
        env={"KATAS_IMPL": "solutions", "KATAS_IMPL_OVERLAY": str(ROOT / "mutants/transforms/compose_pair_as_width_height.py"),
             "KATAS_LANG": "zh", pictures.ENV_DIR: str(tmp_path / "shown"), pictures.ENV_MODE: "grey", "COLUMNS": "80"},
    )  # fmt: skip
    assert done.returncode == 1, done.stdout[-3000:]
    assert "图示：对比的图像" in done.stdout and "没有差异图：两者形状不同" in done.stdout, done.stdout[-3000:]
    assert "你的结果：(3, 8, 12) float32" in done.stdout and "期望结果：(3, 12, 8) float32" in done.stdout
    from kata_harness.i18n import width

    heading = next(line for line in done.stdout.splitlines() if "图示：对比的图像" in line)
    assert 70 <= width(heading) <= 80, f"centred in columns, not characters: {heading!r}"
    pngs = list((tmp_path / "shown").glob("*.png"))
    assert len(pngs) == 1 and str(pngs[0]) in done.stdout


def test_an_hwc_result_against_a_chw_expectation_is_shown_as_different_shapes_not_as_a_match():
    from PIL import Image

    image = to_tensor(photo(8, 12))
    picture = pictures.build(image.permute(1, 2, 0), image)
    assert [p.role for p in picture.panels] == ["yours", "expected"], "no black 'they agree' map for another layout"
    assert any("the shapes differ" in line for line in picture.lines("en", colour=None))
    pil = pictures.build(photo(4, 6).numpy(), Image.fromarray(photo(4, 6).numpy()))
    assert pil.panels[-1].role == "difference", "a PIL image against its own (H, W, C) array is compared"


def test_numpy_arrays_and_pil_images_are_channels_last_even_when_their_height_could_be_a_channel_count():
    from PIL import Image

    array = photo(4, 6).numpy()  # (H=4, W=6, 3): 4 could be read as channels
    for value in (array, Image.fromarray(array), to_tensor(photo(4, 6))):
        panel = pictures.build(value, value).panels[0]
        assert panel.rgb.shape == (4, 6, 3), (type(value), panel.rgb.shape)
        assert panel.rgb[0, 0].tolist() == [220, 30, 30] and panel.rgb[3, 5].tolist() == [230, 230, 40]


def test_every_panel_of_a_picture_is_drawn_on_one_scale_and_small_images_are_enlarged():
    small, padded = torch.ones(1, 4, 6), torch.zeros(1, 8, 8)
    picture = draw(padded, padded, small)
    _, boxes = pictures.layout(picture)
    widths = {panel.role: box[2] for panel, box in zip(picture.panels, boxes)}
    assert widths["input"] * 8 == widths["yours"] * 6 and widths["yours"] == 160, "one scale, 160 pixels"
    cells = [ESCAPE.sub("", line) for line in picture.lines("en", columns=200, colour=True) if "\u2580" in line]
    assert cells[0].startswith("\u2580" * 12 + "  " + "\u2580" * 16), "6 and 8 wide, both doubled"


def test_an_odd_height_ends_on_the_terminals_background_and_grey_differences_are_bright():
    picture = pictures.build(torch.ones(3, 9, 20), torch.zeros(3, 9, 20))  # 9 high: 5 rows, the last half empty
    rows = [line for line in picture.lines("en", columns=80, colour=True) if "\u2580" in line]
    assert "\x1b[49m" in rows[-1] and "\x1b[49m" not in rows[0], "no made-up black pixel row under the image"
    grey = [line for line in picture.lines("en", columns=80, colour=False)[1:] if line.strip()]
    assert "@" in grey[0].split()[-1], "the largest difference is the brightest shade, not red's faint average"
