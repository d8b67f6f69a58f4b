"""A layer-by-layer shape trace of a model's forward pass, next to the reference's, for failing network tests.

``traced_forward(model, x, reference="cifarnet")`` runs ``model(x)`` and records every layer-level step
(conv2d, max_pool2d, flatten/view/reshape, linear, relu, ...) with its output shape - whether the step
is a module (nn.Conv2d) or a function (F.max_pool2d, torch.flatten): a TorchFunctionMode sees both.
When the test then fails (an exception in the forward pass half-way, or a later assertion), the
report gets a section with the learner's steps beside the reference's for the same input, the first
difference marked, and a one-line diagnosis - in the learner's language (``kata_harness.testing.lang()``;
the words are the ``shapes`` group of kata_harness/messages.toml; code, layers and shapes stay as they are).

The reference's shapes are recorded data (reference_shapes.json, written by
``python -m kata_harness.testing.shapes --record``), not an import of solutions/: the trace works for a
learner who deleted solutions/. tests/harness checks that the recording matches the reference.
"""

from __future__ import annotations

import functools
import json
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from kata_harness import i18n, testing
from kata_harness.failure import first_line

RECORDING = Path(__file__).with_name("reference_shapes.json")
SECTION = i18n.t("shapes.section", "en")  # "shape trace: your model vs the reference, same input"
WIDTH = 100  # the diagnosis is wrapped: a learner's terminal, and the line budget of a failure

# Layer-level operations, by the name TorchFunctionMode sees; several names for one kind of step.
KINDS = {
    "conv1d": "conv", "conv2d": "conv", "conv3d": "conv",
    "max_pool1d": "max_pool", "max_pool2d": "max_pool", "max_pool2d_with_indices": "max_pool", "_max_pool2d": "max_pool",
    "avg_pool2d": "avg_pool", "adaptive_avg_pool2d": "adaptive_avg_pool", "adaptive_max_pool2d": "adaptive_max_pool",
    "flatten": "flatten", "view": "flatten", "reshape": "flatten",
    "linear": "linear", "relu": "relu", "relu_": "relu", "dropout": "dropout", "dropout_": "dropout",
    "dropout2d": "dropout", "batch_norm": "batch_norm", "sigmoid": "sigmoid", "tanh": "tanh", "gelu": "gelu",
    "softmax": "softmax", "log_softmax": "log_softmax", "embedding": "embedding",
}  # fmt: skip

_traces: list[Trace] = []  # the traces of the running test; the plugin reads them when the test fails


@dataclass
class Step:
    kind: str
    shape: tuple | None  # ("N", C, H, W): "N" where the output keeps the input's batch size
    layer: str = ""  # the learner's module that ran it, "name Type(args)", when there is one
    error: str = ""  # the exception this step raised
    inputs: tuple[tuple[int, ...], ...] = ()  # full shapes of the tensor arguments (for the diagnosis)


@dataclass
class Trace:
    reference: str
    input_shape: tuple[int, ...]  # per sample: (C, H, W)
    batch: int = 0
    steps: list[Step] = field(default_factory=list)
    error: str = ""


@functools.lru_cache(maxsize=1)
def recorded() -> dict:
    return json.loads(RECORDING.read_text(encoding="utf-8"))


def reference_steps(name: str) -> tuple[tuple[int, ...], list[Step]]:
    entry = recorded()[name]
    return tuple(entry["input"]), [Step(kind, ("N", *shape)) for kind, shape in entry["steps"]]


def traced_forward(model, x, *, reference: str):
    """``model(x)``, recording the shape after every layer-level step for the failure report."""
    __tracebackhide__ = True
    trace = Trace(reference, tuple(x.shape[1:]), x.shape[0])
    _traces.append(trace)
    with _Recorder(model, trace):
        return model(x)


def record(model, x) -> Trace:
    """The trace of ``model(x)`` (for recording a reference)."""
    trace = Trace("", tuple(x.shape[1:]), x.shape[0])
    with _Recorder(model, trace):
        model(x)
    return trace


def take_traces() -> list[Trace]:
    traces = list(_traces)
    _traces.clear()
    return traces


class _Recorder:
    """A TorchFunctionMode, plus forward hooks on the model's leaf modules to name the layer of each step."""

    def __init__(self, model, trace: Trace) -> None:
        self.model = model
        self.trace = trace
        self.handles = []
        self.current: list[str] = []

    def __enter__(self):
        from torch.overrides import TorchFunctionMode

        recorder = self

        class Mode(TorchFunctionMode):
            def __torch_function__(self, func, types, args=(), kwargs=None):
                return recorder.step(func, args, kwargs or {})

        for name, module in getattr(self.model, "named_modules", lambda: [])():
            if name and not any(True for _ in module.children()):
                label = f"{name} {_short(module)}"
                self.handles.append(module.register_forward_pre_hook(functools.partial(self._enter_layer, label)))
                self.handles.append(module.register_forward_hook(self._leave_layer))
        self.mode = Mode()
        self.mode.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.mode.__exit__(exc_type, exc, tb)
        for handle in self.handles:
            handle.remove()
        if exc is not None and not self.trace.error:
            self.trace.error = f"{exc_type.__name__}: {first_line(exc, 160)}"
        return False

    def _enter_layer(self, label, module, args) -> None:
        self.current.append(label)

    def _leave_layer(self, module, args, output) -> None:  # a forward hook must return None: it would replace the output
        if self.current:
            self.current.pop()

    def step(self, func, args, kwargs):
        import torch

        name = getattr(func, "__name__", "")
        kind = KINDS.get(name)
        if kind is None:
            return func(*args, **kwargs)
        inputs = tuple(tuple(a.shape) for a in args if isinstance(a, torch.Tensor))
        if kind == "linear" and len(args) > 1 and isinstance(args[1], torch.Tensor) is False and "weight" in kwargs:
            inputs += (tuple(kwargs["weight"].shape),)
        layer = self.current[-1] if self.current else ""
        try:
            out = func(*args, **kwargs)
        except Exception as exc:
            self.trace.steps.append(Step(kind, None, layer, f"{type(exc).__name__}: {first_line(exc, 160)}", inputs))
            self.trace.error = self.trace.steps[-1].error
            raise
        if isinstance(out, tuple):  # max_pool2d with return_indices
            out = out[0]
        if isinstance(out, torch.Tensor) and out.dim() >= 1:
            batch = "N" if out.shape[0] == self.trace.batch else out.shape[0]
            self.trace.steps.append(Step(kind, (batch, *out.shape[1:]), layer, "", inputs))
        return out


def _short(module) -> str:
    """A compact description of a layer: Conv2d(3, 32, k=5, p=2), Linear(1024, 64), MaxPool2d(k=2), ..."""
    def pair(value):
        return value[0] if isinstance(value, tuple) and len(set(value)) == 1 else value

    kind = type(module).__name__
    if hasattr(module, "in_channels") and hasattr(module, "kernel_size"):
        extra = [f"k={pair(module.kernel_size)}"]
        extra += [f"s={pair(module.stride)}"] if pair(module.stride) != 1 else []
        extra += [f"p={pair(module.padding)}"] if pair(module.padding) not in (0, "valid") else []
        return f"{kind}({module.in_channels}, {module.out_channels}, {', '.join(extra)})"
    if hasattr(module, "in_features"):
        return f"{kind}({module.in_features}, {module.out_features})"
    if hasattr(module, "kernel_size"):
        return f"{kind}(k={pair(module.kernel_size)})"
    return kind



def _shape(shape, sep: str = ", ") -> str:
    return "(" + sep.join(str(s) for s in shape) + ")" if shape is not None else "-"


def _regrouped(trace: Trace) -> int | None:
    """The first step whose output no longer has the input's batch size (x.view(-1, 1024) on bigger images)."""
    return next((i for i, step in enumerate(trace.steps) if step.shape and step.shape[0] != "N"), None)


def differs(trace: Trace) -> bool:
    """Whether a trace is worth showing: it ended in an error, or it is not the reference's."""
    if trace.reference not in recorded() or trace.input_shape != reference_steps(trace.reference)[0]:
        return bool(trace.error) or _regrouped(trace) is not None
    input_shape, steps = reference_steps(trace.reference)
    return bool(trace.error) or [(s.kind, s.shape) for s in trace.steps] != [(s.kind, s.shape) for s in steps]


def _pad(text: str, columns: int) -> str:
    """``text`` left-aligned in ``columns`` terminal columns (a Chinese character takes two)."""
    return text + " " * max(0, columns - i18n.width(text))


def _wrap(text: str, lang: str) -> list[str]:
    """The diagnosis in lines of at most WIDTH columns, every line after the first indented by two."""
    if lang != "zh":
        return textwrap.wrap(text, WIDTH, subsequent_indent="  ")
    first, *rest = i18n.fill(text, WIDTH - 2, lang).splitlines() or [""]
    return [first, *("  " + line for line in rest)]


def render(trace: Trace, lang: str | None = None) -> str:
    """The side-by-side table and the diagnosis (at most ~40 lines: long traces keep the interesting part),
    in ``lang`` (by default the learner's language)."""
    lang = lang or testing.lang()

    def say(key: str, **fields) -> str:
        return i18n.t(f"shapes.{key}", lang, **fields)

    known = trace.reference in recorded() and reference_steps(trace.reference)[0] == trace.input_shape
    reference = reference_steps(trace.reference)[1] if known else []
    first = _first_difference(trace.steps, reference) if known else _regrouped(trace)
    rows = max(len(trace.steps), len(reference))
    header = say("input", batch=trace.batch, shape=", ".join(map(str, trace.input_shape))) + (
        "" if known else say("no_reference")
    )
    step = say("step")
    step = " " * max(0, 4 - i18n.width(step)) + step
    columns = f"{_pad(say('yours'), 42)} {_pad(say('output'), 17)} {_pad(say('reference'), 10)} {say('output')}"
    lines = [header, f"{step}  {columns}"]
    shown = range(rows)
    if rows > 24:  # VGG: 40 steps - keep the rows around the first difference
        centre = first if first is not None else rows - 1
        shown = range(max(0, centre - 10), min(rows, centre + 10))
        if shown.start:
            lines.append("   ...")
    for index in shown:
        mine = trace.steps[index] if index < len(trace.steps) else None
        ref = reference[index] if index < len(reference) else None
        left = f"{mine.kind:<9} {mine.layer}".strip() if mine else ""
        output = (say("raised") if mine.error else _shape(mine.shape)) if mine else ""
        right = ref.kind if ref else ""
        ref_output = _shape(ref.shape) if ref else ""
        mark = say("first_difference") if index == first else ""
        cells = f"{_pad(left[:42], 42)} {_pad(output, 17)} {_pad(right, 10)} {_pad(ref_output, 17)}{mark}"
        lines.append(f"{index + 1:>4}  {cells}".rstrip())
    if shown.stop < rows:
        lines.append("   ...")
    lines.extend(_wrap(say("diagnosis", text=diagnose(trace, reference, first, lang)), lang))
    return "\n".join(lines)


def _first_difference(steps: list[Step], reference: list[Step]) -> int | None:
    for index in range(max(len(steps), len(reference))):
        mine = steps[index] if index < len(steps) else None
        ref = reference[index] if index < len(reference) else None
        if mine is None or ref is None or mine.error or (mine.kind, mine.shape) != (ref.kind, ref.shape):
            return index
    return None


def diagnose(trace: Trace, reference: list[Step], first: int | None, lang: str | None = None) -> str:
    lang = lang or testing.lang()

    def say(key: str, **fields) -> str:
        return i18n.t(f"shapes.{key}", lang, **fields)

    steps = trace.steps
    failed = steps[-1] if steps and steps[-1].error else None
    if failed is not None:
        before = steps[-2].kind if len(steps) > 1 else say("the_input")
        earlier = ""
        if first is not None and first < len(steps) - 1 and first < len(reference):
            earlier = say(
                "already_differs", step=first + 1, kind=steps[first].kind, yours=_shape(steps[first].shape, ","),
                ref_kind=reference[first].kind, ref_shape=_shape(reference[first].shape, ","),
            )  # fmt: skip
        if failed.kind == "linear" and len(failed.inputs) >= 2 and len(failed.inputs[1]) == 2:
            arriving, (out_features, in_features) = failed.inputs[0][-1], failed.inputs[1]
            expected = ""
            nth = sum(1 for step in steps if step.kind == "linear") - 1
            linears = [i for i, step in enumerate(reference) if step.kind == "linear"]
            if nth < len(linears) and linears[nth] > 0:
                expected = say("reference_gets", features=reference[linears[nth] - 1].shape[-1])
            return say(
                "linear_features", earlier=earlier, before=before, arriving=arriving,
                layer=f"Linear({in_features}, {out_features})", in_features=in_features, expected=expected,
            )  # fmt: skip
        if failed.kind == "conv" and len(failed.inputs) >= 2 and len(failed.inputs[0]) >= 3:
            return say(
                "conv_channels", earlier=earlier, before=before, channels=failed.inputs[0][-3],
                weight=failed.inputs[1], in_channels=failed.inputs[1][1],
            )  # fmt: skip
        return say("step_raised", earlier=earlier, step=len(steps), kind=failed.kind, error=failed.error)
    if trace.error:
        return say("forward_raised", error=trace.error, count=len(steps))
    regrouped = _regrouped(trace)
    if regrouped is not None and (first is None or regrouped <= first):
        step = steps[regrouped]
        return say("regrouped", step=regrouped + 1, kind=step.kind, batch=trace.batch, rows=step.shape[0])
    if first is None:
        return say("match")
    mine = steps[first] if first < len(steps) else None
    ref = reference[first] if first < len(reference) else None
    if mine is None:
        return say("stops_early", count=len(steps), total=len(reference))
    if ref is None:
        return say("extra_steps", count=len(steps) - len(reference))
    if mine.kind != ref.kind:
        return say("kind_differs", step=first + 1, ref_kind=ref.kind, kind=mine.kind)
    yours, theirs = _shape(mine.shape, ","), _shape(ref.shape, ",")
    return say("shape_differs", step=first + 1, kind=mine.kind, yours=yours, ref_shape=theirs)


def report_sections() -> list[tuple[str, str]]:
    """The sections for a failing test: one per trace of it that ended in an error or left the reference, titled
    and written in the learner's language."""
    sections = []
    for trace in take_traces():
        try:
            if differs(trace):
                lang = testing.lang()
                sections.append((i18n.t("shapes.section", lang), render(trace, lang)))
        except Exception:  # noqa: BLE001 - the trace must never hide the failure itself
            pass
    return sections


def _record_references() -> dict:
    """The reference shapes, from solutions/ and torchvision (maintainers only)."""
    import torch
    from torchvision import models

    from solutions.modules import CifarNet

    def steps(model, x):
        with torch.no_grad():
            return [[s.kind, list(s.shape[1:])] for s in record(model.eval(), x).steps]  # per sample

    data = {"cifarnet": {"input": [3, 32, 32], "steps": steps(CifarNet(), torch.zeros(2, 3, 32, 32))}}
    for classes in (10, 3):
        with torch.device("meta"):
            model = models.vgg16(weights=None, num_classes=classes)
            data[f"vgg16/{classes}"] = {"input": [3, 32, 32], "steps": steps(model, torch.empty(2, 3, 32, 32))}
            model = models.vgg16(weights=None)
            model.classifier.add_module("add_linear", torch.nn.Linear(1000, classes))
            data[f"vgg16+linear/{classes}"] = {"input": [3, 32, 32], "steps": steps(model, torch.empty(2, 3, 32, 32))}
    return data


def _dumps(data: dict) -> str:
    """JSON with one step per line (reviewable diffs)."""
    entries = [
        f' "{name}": {{"input": {json.dumps(entry["input"])}, "steps": [\n'
        + ",\n".join("  " + json.dumps(step) for step in entry["steps"])
        + "\n ]}"
        for name, entry in data.items()
    ]
    return "{\n" + ",\n".join(entries) + "\n}\n"


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit("usage: python -m kata_harness.testing.shapes --record")
    RECORDING.write_text(_dumps(_record_references()), encoding="utf-8")
    print(f"wrote {RECORDING}")
