"""Pictures of a failing image comparison: the input, the learner's result, the expected result, where they differ.

A test that compares images (kata_harness.testing.assert_tensors_close with ``picture=True``) attaches a
``Pictures`` to its AssertionError. Two renderings of the same panels, side by side, each with a one-line caption
(what it is, shape, dtype, value range) in the learner's language:

- a PNG (Pillow), written outside the checkout - the platform's cache folder, or $KATAS_PICTURES - and named in the
  failure by its full path, so that an IDE's terminal makes it clickable;
- text for the terminal (``terminal()``), drawn by the pytest plugin under the failure: half-block characters in
  24-bit colour, two pixels per character cell (a 32x32 image is 32 columns by 16 rows), scaled to fit the width;
  grey shades without escape codes where colour is off (NO_COLOR); nothing where the output is not a terminal
  (TERM=dumb, a pipe, a file): then the PNG is the picture.

Values are shown honestly: the learner's result is drawn on the expected image's scale (0-255 for uint8; for floats,
its value range widened to hold [0, 1]), so a [0, 255] image next to a [0, 1] one is white where the other is grey;
the input is drawn on its own scale, and each caption gives the panel's own range. The difference map is black where the images agree and red where they differ (brightest at the
largest difference); images of different shapes - or of one shape in different layouts, an (H, W, C) result against
a (C, H, W) expectation - are drawn at their own sizes and get no difference map. Every panel of a picture is drawn
on one scale, so that sizes compare (small images enlarged); numpy arrays and PIL images are read as (H, W, C),
tensors as (C, H, W), each library's convention.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kata_harness.i18n import t
from kata_harness.paths import ROOT

ENV_DIR = "KATAS_PICTURES"
ENV_MODE = "KATAS_PICTURE_MODE"  # colour, grey or none: set by the runner for its children (their output is a pipe)
ENV_COLUMNS = "KATAS_PICTURE_COLUMNS"  # and the width of its terminal
MODES = {"colour": True, "grey": False, "none": None}
CELL_ROWS = 16  # the tallest a panel is drawn in the terminal: 32 pixels
PANEL_COLUMNS = 32  # the widest, before fitting the terminal's width
GAP = 2
PNG_SIDE = 160  # the largest panel of a PNG is enlarged (nearest neighbour) to about this many pixels a side
PNG_MOST = 32  # ... each pixel at most a 32x32 square; every panel of one picture on the same scale
GREYS = " .:-=+*#%@"


@dataclass
class Panel:
    role: str  # input, yours, expected, difference
    rgb: object  # a (H, W, 3) uint8 numpy array
    fields: dict = field(default_factory=dict)  # what its caption quotes: shape, dtype, range (or largest)

    def caption(self, lang: str) -> str:
        return t(f"pictures.{self.role}", lang, **self.fields)


@dataclass
class Pictures:
    panels: list[Panel]
    png: Path | None = None

    def lines(self, lang: str, columns: int = 80, colour: bool | None = True) -> list[str]:
        """What the failure report shows: the panels (colour: 24-bit; False: grey shades; None: no drawing, the
        output is not a terminal), one caption line per panel, and the PNG's path."""
        lines = render_text(self.panels, lang, columns, colour) if colour is not None else []
        lines += [f"  {panel.caption(lang)}" for panel in self.panels]
        if not any(panel.role == "difference" for panel in self.panels):
            lines.append(f"  {t('pictures.no_difference', lang)}")
        if self.png is not None:
            lines.append(t("pictures.png", lang, path=self.png))
        return lines


def _is_pil(value) -> bool:
    return type(value).__module__.startswith("PIL.") and hasattr(value, "mode") and hasattr(value, "size")


def _plain(value):
    """A PIL image as its (H, W[, C]) uint8 array; anything else as it is."""
    if _is_pil(value):
        import numpy as np

        return np.array(value.convert("RGB") if value.mode not in ("L", "RGB", "RGBA") else value)
    return value


def image_like(value, maps: bool = False) -> bool:
    """A tensor, array or PIL image that reads as an image: (H, W), (C, H, W) or (H, W, C) with C in 1, 3, 4, or a
    batch. ``maps``: feature maps, (H, W), (C, H, W) or (N, C, H, W) with any C, each channel drawn in grey."""
    shape = tuple(getattr(_plain(value), "shape", ()))
    if maps:
        return 2 <= len(shape) <= 4 and 0 not in shape
    if len(shape) == 2:
        return min(shape) >= 2
    if len(shape) == 3:
        return shape[0] in (1, 3, 4) or shape[-1] in (1, 3, 4)
    if len(shape) == 4:
        return shape[1] in (1, 3, 4) or shape[-1] in (1, 3, 4)
    return False


def _channels_last(value, maps: bool = False) -> bool:
    """Whether an image's channels are its last dimension: by each library's convention where the shape allows
    both - numpy arrays and PIL images are (H, W, C), tensors (C, H, W) - else by which dimension can be one."""
    shape = tuple(getattr(_plain(value), "shape", ()))
    if maps or len(shape) not in (3, 4) or shape[-1] not in (1, 3, 4):
        return False
    first = shape[0] if len(shape) == 3 else shape[1]
    import torch

    return not isinstance(value, torch.Tensor) or first not in (1, 3, 4)


def _as_float_hwc(value, maps: bool = False):
    """(array (H, W, C) float64, was uint8). A batch is tiled with torchvision.utils.make_grid; so are feature maps
    (``maps``), one grey tile per channel, a row per sample."""
    import numpy as np
    import torch

    channels_last = _channels_last(value, maps)
    value = _plain(value)
    tensor = torch.as_tensor(np.asarray(value) if not isinstance(value, torch.Tensor) else value).detach().cpu()
    was_uint8 = tensor.dtype == torch.uint8
    tensor = tensor.to(torch.float64)
    if maps and tensor.dim() >= 3:
        from torchvision.utils import make_grid

        per_row = tensor.shape[-3]
        tiles = tensor.reshape(-1, 1, *tensor.shape[-2:])
        tensor = make_grid(tiles, nrow=per_row, padding=1, pad_value=float("nan"))[:1]
    if tensor.dim() == 4:
        if channels_last:
            tensor = tensor.permute(0, 3, 1, 2)
        from torchvision.utils import make_grid

        tensor = make_grid(tensor, nrow=min(8, tensor.shape[0]), padding=1, pad_value=float("nan"))
    if tensor.dim() == 2:
        tensor = tensor.unsqueeze(0)
    elif tensor.dim() == 3 and channels_last:
        tensor = tensor.permute(2, 0, 1)
    tensor = tensor[:3]
    if tensor.shape[0] == 1:
        tensor = tensor.expand(3, -1, -1)
    return tensor.permute(1, 2, 0).numpy(), was_uint8


def _scale_of(value, maps: bool = False) -> tuple[float, float]:
    """The values black and white stand for: 0-255 for uint8; for floats, the value range widened to hold [0, 1]
    (an image in [0, 1] is shown on [0, 1], a normalized one on its own range, a [0, 255] one on [0, 255])."""
    array, was_uint8 = _as_float_hwc(value, maps)
    import numpy as np

    if was_uint8:
        return 0.0, 255.0
    finite = array[np.isfinite(array)]
    if finite.size == 0:
        return 0.0, 1.0
    return min(float(finite.min()), 0.0), max(float(finite.max()), 1.0)


def _to_rgb(array, low: float, high: float):
    import numpy as np

    scaled = (array - low) / (high - low)
    scaled = np.where(np.isfinite(scaled), scaled, 0.0)
    return (np.clip(scaled, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def _describe(value) -> tuple[str, str, str]:
    """(shape, dtype, value range) as a caption quotes them."""
    import numpy as np
    import torch

    shape = f"PIL {value.mode} size={tuple(value.size)}" if _is_pil(value) else None
    value = _plain(value)
    tensor = torch.as_tensor(np.asarray(value) if not isinstance(value, torch.Tensor) else value).detach()
    shape = shape or str(tuple(tensor.shape))
    dtype = str(tensor.dtype).replace("torch.", "")
    if tensor.numel() == 0:
        return shape, dtype, "[]"
    floats = tensor.to(torch.float64)
    return shape, dtype, f"[{float(floats.min()):.3g}, {float(floats.max()):.3g}]"


def build(actual, expected, source=None, maps: bool = False) -> Pictures:
    """The panels for ``actual`` (the learner's) against ``expected``, with ``source`` (the input) first when given.
    ``maps``: the values are feature maps (a convolution's output): each channel is drawn as a grey tile."""
    import numpy as np

    low, high = _scale_of(expected, maps)
    panels = []
    for role, value in (("input", source), ("yours", actual), ("expected", expected)):
        if value is None or not image_like(value, maps):
            continue
        shape, dtype, span = _describe(value)
        array, was_uint8 = _as_float_hwc(value, maps)
        scale = _scale_of(value, maps) if role == "input" else (low, high)  # yours on the expected image's scale
        panels.append(Panel(role, _to_rgb(array, *scale), {"shape": shape, "dtype": dtype, "range": span}))
    got, _ = _as_float_hwc(actual, maps)
    want, _ = _as_float_hwc(expected, maps)
    if got.shape == want.shape and _same_layout(actual, expected):
        difference = np.abs(got - want).max(axis=2)
        difference = np.where(np.isfinite(difference), difference, 0.0)
        largest = float(difference.max()) if difference.size else 0.0
        heat = np.zeros(difference.shape + (3,), dtype=np.uint8)
        if largest > 0:
            level = (difference / largest * 255.0 + 0.5).astype(np.uint8)
            heat[..., 0] = np.where(difference > 0, np.maximum(level, 60), 0)  # any difference is visible
        panels.append(Panel("difference", heat, {"largest": f"{largest:.3g}"}))
    return Pictures(panels)


def _same_layout(actual, expected) -> bool:
    """Whether two images' pixels can be compared one to one: the same shape, or a PIL image against an array or
    tensor of its own (H, W, C) or (C, H, W) - not an (H, W, C) result against a (C, H, W) expectation, which is
    the mistake to show, not to hide behind the same drawing."""
    shapes = [tuple(getattr(_plain(v), "shape", ())) for v in (actual, expected)]
    return shapes[0] == shapes[1] or _is_pil(actual) or _is_pil(expected)


# --- the PNG ------------------------------------------------------------------------------------------------


def pictures_dir() -> Path:
    """Where PNGs go: $KATAS_PICTURES, else the platform's cache folder - never the checkout."""
    chosen = os.environ.get(ENV_DIR)
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "pytorch-katas" / "pictures"


def _font(size: int):
    """A font for the captions: one with Chinese glyphs where the machine has one, else Pillow's own."""
    from PIL import ImageFont

    candidates = [
        "C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/simhei.ttf", "/System/Library/Fonts/PingFang.ttc",
        "/System/Library/Fonts/STHeiti Medium.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    ]  # fmt: skip
    latin = [
        "C:/Windows/Fonts/arial.ttf", "/System/Library/Fonts/Helvetica.ttc", "/Library/Fonts/Arial.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    ]  # fmt: skip
    for chinese, names in ((True, candidates), (False, latin)):
        for candidate in names:
            if Path(candidate).is_file():
                try:
                    return ImageFont.truetype(candidate, size), chinese
                except OSError:
                    continue
    try:
        return ImageFont.load_default(size=size), False  # Pillow >= 10.1 with FreeType: a scalable font
    except (TypeError, OSError, ImportError):
        return ImageFont.load_default(), False


def png_scale(pictures: Pictures) -> int:
    """How many PNG pixels a side each image pixel becomes: the same for every panel, so that sizes compare."""
    largest = max((max(panel.rgb.shape[:2]) for panel in pictures.panels), default=1)
    return max(1, min(PNG_MOST, PNG_SIDE // max(1, largest)))


MARGIN, CAPTION_HEIGHT, CAPTION_WIDTH = 8, 18, 220


def layout(pictures: Pictures) -> tuple[tuple[int, int], list[tuple[int, int, int, int]]]:
    """The PNG's size and each panel's box (left, top, width, height) in it: side by side, top-aligned."""
    boxes, x = [], MARGIN
    factor = png_scale(pictures)
    for panel in pictures.panels:
        width, height = panel.rgb.shape[1] * factor, panel.rgb.shape[0] * factor
        boxes.append((x, MARGIN, width, height))
        x += max(width, CAPTION_WIDTH) + MARGIN
    tallest = max((box[3] for box in boxes), default=0)
    return (x, tallest + CAPTION_HEIGHT * 3 + MARGIN * 2), boxes


def write_png(pictures: Pictures, test_name: str, lang: str) -> Path:
    """One PNG: the panels side by side (small images enlarged, nearest neighbour), a caption under each."""
    from PIL import Image, ImageDraw

    font, has_chinese = _font(12)
    size, boxes = layout(pictures)
    canvas = Image.new("RGB", size, (40, 40, 40))
    draw = ImageDraw.Draw(canvas)
    captions_top = max((top + height for _, top, _, height in boxes), default=0) + 4  # one line for every caption
    for panel, (left, top, width, height) in zip(pictures.panels, boxes):
        canvas.paste(Image.fromarray(panel.rgb, "RGB").resize((width, height), Image.Resampling.NEAREST), (left, top))
        caption = panel.caption(lang if has_chinese else "en")  # a font without Chinese glyphs: English captions
        for number, line in enumerate(_wrap(caption, 34)):
            draw.text((left, captions_top + number * CAPTION_HEIGHT), line, fill=(230, 230, 230), font=font)
    directory = pictures_dir()
    if directory.resolve().is_relative_to(ROOT):
        raise ValueError(f"{ENV_DIR}={directory} is inside the checkout: pictures never go there")
    directory.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")[:80] or "image"
    digest = hashlib.sha1(test_name.encode("utf-8")).hexdigest()[:8]
    path = directory / f"{slug}-{digest}.png"
    canvas.save(path)
    pictures.png = path
    return path


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line][:3]


# --- the terminal ----------------------------------------------------------------------------------------------


def _terminal_scale(panels: list[Panel], columns: int, rows: int) -> float:
    """One scale for every panel (sizes compare): each fits ``columns`` by ``rows`` * 2 pixels; small images are
    enlarged, up to 4 times, to about 16 pixels."""
    largest = max(max(panel.rgb.shape[:2]) for panel in panels)
    factor = float(max(1, min(4, 16 // max(1, largest))))
    for panel in panels:
        height, width = panel.rgb.shape[:2]
        factor = min(factor, columns / width, rows * 2 / height)
    return factor


def _fit(rgb, factor: float):
    """The panel resized (nearest neighbour) by ``factor``."""
    import numpy as np
    from PIL import Image

    height, width = rgb.shape[:2]
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return np.asarray(Image.fromarray(rgb, "RGB").resize(size, Image.Resampling.NEAREST))


def _cell(top, bottom, colour: bool) -> str:
    """Two pixels, one above the other (``bottom`` None: an odd height's last row, the terminal's own background)."""
    if colour:
        under = "\x1b[49m" if bottom is None else f"\x1b[48;2;{bottom[0]};{bottom[1]};{bottom[2]}m"
        return f"\x1b[38;2;{top[0]};{top[1]};{top[2]}m{under}\u2580"
    pixels = [top] if bottom is None else [top, bottom]
    level = sum(int(pixel.mean()) for pixel in pixels) / len(pixels) / 256
    return GREYS[min(len(GREYS) - 1, int(level * len(GREYS)))]


def render_text(panels: list[Panel], lang: str = "en", columns: int = 80, colour: bool = True) -> list[str]:
    """A heading line of the panels' names, then the panels side by side, two pixels per character cell."""
    from kata_harness.i18n import width as text_width

    if not panels:
        return []
    import numpy as np

    per_panel = max(4, min(PANEL_COLUMNS, (columns - GAP * (len(panels) - 1)) // len(panels)))
    factor = _terminal_scale(panels, per_panel, CELL_ROWS)
    # without colour the difference map's red is drawn as its brightness (red averages to a faint grey)
    shown = [np.repeat(p.rgb[..., :1], 3, axis=2) if not colour and p.role == "difference" else p.rgb for p in panels]
    fitted = [_fit(rgb, factor) for rgb in shown]
    widths = [image.shape[1] for image in fitted]
    rows = max((image.shape[0] + 1) // 2 for image in fitted)
    reset = "\x1b[0m" if colour else ""
    names = [t(f"pictures.short_{panel.role}", lang) for panel in panels]
    columns_of = [max(width, text_width(name)) for width, name in zip(widths, names)]  # a column fits its name
    lines = [(" " * GAP).join(name + " " * (column - text_width(name)) for name, column in zip(names, columns_of)).rstrip()]
    for row in range(rows):
        parts = []
        for image, width, column in zip(fitted, widths, columns_of):
            top_y, bottom_y = row * 2, row * 2 + 1
            if top_y >= image.shape[0]:
                parts.append(" " * column)
                continue
            cells = []
            for x in range(width):
                bottom = image[bottom_y, x] if bottom_y < image.shape[0] else None
                cells.append(_cell(image[top_y, x], bottom, colour))
            parts.append("".join(cells) + reset + " " * (column - width))
        lines.append((" " * GAP).join(parts).rstrip())
    return lines


def terminal_mode(has_markup: bool) -> bool | None:
    """How the terminal shows a picture: True 24-bit colour, False grey shades, None not at all (a file only).

    $KATAS_PICTURE_MODE first (the runner decides for its children); else pytest's own judgement of its terminal
    (``has_markup``: a tty, not TERM=dumb, no NO_COLOR - or --color=yes); NO_COLOR on a real terminal: grey."""
    mode = os.environ.get(ENV_MODE, "").strip().lower()
    if mode in MODES:
        return MODES[mode]
    stream = sys.__stdout__
    if has_markup:
        return True if can_draw_blocks(stream) else False
    tty = bool(stream is not None and stream.isatty()) and os.environ.get("TERM", "") != "dumb"
    return False if tty and os.environ.get("NO_COLOR") else None


def can_draw_blocks(stream) -> bool:
    """Whether ``stream`` can print the half block: a GBK (Chinese Windows) or cp1252 console cannot, and would
    show '?' for every cell - it gets the grey shades, which are ASCII."""
    try:
        "\u2580".encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def mode_for(stream) -> str:
    """What the runner asks of its children for ``stream``, its own output."""
    if not stream.isatty() or os.environ.get("TERM", "") == "dumb":
        return "none"
    return "grey" if os.environ.get("NO_COLOR") or not can_draw_blocks(stream) else "colour"


def tell_children(stream) -> None:
    """The runner's children write to a pipe: tell them how the runner's terminal shows pictures, and its width."""
    import shutil

    os.environ.setdefault(ENV_MODE, mode_for(stream))
    os.environ.setdefault(ENV_COLUMNS, str(shutil.get_terminal_size((80, 24)).columns))


def columns(default: int) -> int:
    try:
        return max(40, int(os.environ.get(ENV_COLUMNS, "")))
    except ValueError:
        return default


def make(actual, expected, source=None, maps: bool = False) -> Pictures | None:
    """The pictures of a failing image check, its PNG written; None when they are not images or cannot be drawn.
    Never raises: the failure itself matters more than its picture."""
    try:
        if not (image_like(actual, maps) and image_like(expected, maps)):
            return None
        from kata_harness.testing import lang

        pictures = build(actual, expected, source, maps)
        test = os.environ.get("PYTEST_CURRENT_TEST", "image").split(" ")[0]
        try:
            write_png(pictures, test, lang())
        except (OSError, ValueError):
            pass  # no PNG (a read-only cache, a full disk): the terminal's picture still shows it
        return pictures
    except Exception:  # noqa: BLE001
        return None


def attach(error: BaseException, actual, expected, source=None, maps: bool = False) -> None:
    """Give a failing image comparison's AssertionError its pictures (and write the PNG): the plugin draws them
    under the failure."""
    pictures = make(actual, expected, source, maps)
    if pictures is not None:
        error.kata_pictures = pictures
