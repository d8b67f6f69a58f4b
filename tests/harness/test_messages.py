"""Failures that teach: realistic learner mistakes (files of mutants/), the failure each one meets, and the rules
its message must keep (issue 10).

Every message names the call (or the kata), what came back and what was expected - or explains the library's
error - within 40 lines with the default options. One subprocess (kata_harness.checks.messages) collects the kata
tests once and runs each mistake's test with the mistake swapped in.
"""

from __future__ import annotations

import json
import re

import pytest

# One worker runs them all (make check-harness uses --dist loadgroup): the module fixture's subprocess runs once.
pytestmark = pytest.mark.xdist_group("messages")

LINE_BUDGET = 40
EXPLAINED = "what this error usually means"
SHAPE_TRACE = "shape trace: your model vs the reference"

# mutant -> (the test that meets it, substrings its message must contain besides the general rules)
MISTAKES = {
    "tensors/reshape_with_view": ("test_tensors.py::test_reshape_accepts_non_contiguous_input", ["view", EXPLAINED]),
    "tensors/flatten_infers_batch": ("test_tensors.py::test_flatten_per_sample_keeps_batch_dimension[batch-4]", ["flatten_per_sample"]),
    "tensors/pick_device_returns_string": ("test_tensors.py::test_pick_device_follows_cuda_availability[cuda]", ["pick_device"]),
    "datasets/keeps_file_mode": ("test_datasets.py::test_label_folder_dataset_converts_to_rgb[grayscale-file]", ["RGB"]),
    "datasets/unsorted_listing": ("test_datasets.py::test_label_folder_dataset_orders_files_by_name", ["sort"]),
    "datasets/concat_as_list": ("test_datasets.py::test_concat_datasets_is_flat_not_a_pair", ["ConcatDataset"]),
    "dataloader/ignores_drop_last": ("test_dataloader.py::test_batched_loader_len_and_batch_sizes[remainder-dropped]", ["drop_last"]),
    "dataloader/next_on_the_loader": ("test_dataloader.py::test_first_batch_returns_the_first_batch", ["iter"]),
    "dataloader/collates_to_lists": ("test_dataloader.py::test_batched_loader_keeps_dataset_order", ["batched_loader"]),
    "summary_writer/hwc_as_chw": ("test_summary_writer.py::test_log_image_array_hwc_keeps_width_height_and_step", ["dataformats", EXPLAINED]),
    "summary_writer/never_closed": ("test_summary_writer.py::test_log_scalars_closes_its_writer", ["close"]),
    "summary_writer/steps_from_one": ("test_summary_writer.py::test_log_scalars_steps_count_from_zero", ["step"]),
    "transforms/normalize_in_place": ("test_transforms.py::test_normalize_does_not_modify_its_input", ["x itself has changed", "largest difference"]),
    "transforms/std_unbiased": ("test_transforms.py::test_channel_mean_std_over_all_images_and_pixels", ["channel_mean_std", "largest difference"]),
    "transforms/resize_pair_as_width_height": ("test_transforms.py::test_resize_pil_image[pair-is-h-w]", ["resize"]),
    "transforms/to_tensor_without_scaling": ("test_transforms.py::test_image_to_tensor_uint8_hwc_becomes_float_chw_over_255", ["255"]),
    "cifar/tensors_hwc": ("test_cifar.py::test_load_cifar10_tensors_items_are_float_chw_in_unit_range", ["(3, 32, 32)"]),
    "cifar/downloads": ("test_cifar.py::test_load_cifar10_missing_data_raises_and_does_not_download", ["download"]),
    "cifar/counts_are_tensors": ("test_cifar.py::test_count_per_class_counts_are_python_ints", ["int"]),
    "modules/missing_third_pool": ("test_modules.py::test_cifar_net_output_shape[1]", [SHAPE_TRACE, "first difference", "4096 features arrive", EXPLAINED]),
    "modules/linear_sized_before_last_pool": ("test_modules.py::test_cifar_net_output_shape[4]", [SHAPE_TRACE, "Linear(4096, 64)"]),
    "modules/sequential_missing_pool": ("test_modules.py::test_cifar_sequential_is_a_sequential_of_nine_layers", ["MaxPool2d"]),
    "modules/layers_in_a_list": ("test_modules.py::test_cifar_net_forward_is_the_notes_pipeline", ["CifarNet"]),
    "conv/manual_ignores_groups": ("test_conv.py::test_conv2d_manual_matches_conv2d", ["conv2d_manual", "groups", "largest difference"]),
    "conv/manual_flips_the_kernel": ("test_conv.py::test_conv2d_manual_tutorial_example_with_bias", ["conv2d_manual"]),
    "conv/single_stride_as_width_height": ("test_conv.py::test_conv2d_single_pairs_are_height_then_width[stride-2-vertical]", ["conv2d_single"]),
    "layers/linear_no_check": ("test_layers.py::test_linear_output_shape_rejects_wrong_last_dimension[2d]", ["It returned", "ValueError"]),
    "layers/dropout_elementwise": ("test_layers.py::test_channel_dropout_zeroes_whole_channels_and_scales_the_rest", ["channel"]),
    "layers/batchnorm_biased_running_var": ("test_layers.py::test_batch_norm_by_hand_training_matches_batchnorm2d[0.1]", ["running_var"]),
    "layers/pad_order_like_torchvision": ("test_layers.py::test_pad2d_output_size_matches_padding_layers[lrtb]", ["pad"]),
    "losses/softmax_before_cross_entropy": ("test_losses.py::test_cross_entropy_takes_logits_not_probabilities", ["logits"]),
    "losses/smooth_l1_ignores_beta": ("test_losses.py::test_smooth_l1_loss_formula[0.5]", ["beta"]),
    "optim/train_step_without_zero_grad": ("test_optim.py::test_train_step_clears_stale_gradients_first", ["zero_grad"]),
    "optim/sgd_step_by_hand_without_no_grad": ("test_optim.py::test_sgd_step_by_hand_without_momentum_is_w_minus_lr_g", ["sgd_step_by_hand"]),
    "vgg/replace_with_1000_inputs": ("test_vgg.py::test_vgg16_replace_last_layer_outputs_num_classes_on_cifar_images[10]", ["vgg16_replace_last_layer"]),
    "vgg/appends_to_features": ("test_vgg.py::test_vgg16_append_layer_adds_a_named_layer_after_the_head[10]", ["vgg16_append_layer"]),
    "checkpoint/load_whole_with_defaults": ("test_checkpoint.py::test_load_whole_model_returns_the_model[str-path]", ["weights_only", EXPLAINED]),
    "checkpoint/loads_non_strict": ("test_checkpoint.py::test_load_state_dict_into_refuses_another_architecture[layer-missing-from-file]", ["strict"]),
    "training/epoch_without_zero_grad": ("test_training.py::test_train_one_epoch_matches_a_reference_epoch", ["zero_grad"]),
    "training/evaluate_in_train_mode": ("test_training.py::test_evaluate_uses_eval_mode_and_no_grad", ["eval()"]),
    "training/evaluate_batches_not_moved": ("test_training.py::test_evaluate_moves_batches_and_leaves_weights_alone", [".to(device)"]),
    "fast_training/train_forgets_zero_grad": ("test_fast_training.py::test_train_fast_takes_one_adam_step_per_batch", ["zero_grad", "largest difference"]),
    "fast_training/evaluate_forgets_eval_mode": ("test_fast_training.py::test_evaluate_fast_eval_mode_inference_and_one_read_back", ["eval"]),
}  # fmt: skip

NAMES_THE_CALL = re.compile(r"Called |called |It returned|returned |gave ")
SAYS_WHAT_WAS_EXPECTED = re.compile(r"expected|expects|must |should |" + EXPLAINED)


@pytest.fixture(scope="module")
def messages(tmp_path_factory, run_module):
    spec = [{"overlay": f"mutants/{m}.py", "test": f"tests/katas/{test}"} for m, (test, _) in MISTAKES.items()]
    path = tmp_path_factory.mktemp("messages") / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    done = run_module("-m", "kata_harness.checks.messages", str(path))
    found = {}
    for line in done.stdout.splitlines():
        if line.startswith("MESSAGE "):
            result = json.loads(line[len("MESSAGE ") :])
            found[result["overlay"][len("mutants/") : -len(".py")]] = result
    assert len(found) == len(MISTAKES), f"the messages tool answered {len(found)} of {len(MISTAKES)}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    return found


def test_at_least_thirty_mistakes_across_every_module():
    from kata_harness import manifest

    modules = {kata.module for kata in manifest.load()} - {"distributed"}
    covered = {mistake.split("/", 1)[0] for mistake in MISTAKES}
    assert len(MISTAKES) >= 30 and modules <= covered, sorted(modules - covered)


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_the_message_teaches(messages, mistake):
    result = messages[mistake]
    test, needs = MISTAKES[mistake]
    text = result["text"]
    assert result["outcome"] == "failed", f"{mistake} was not caught by {test}: {result['outcome']}\n{text}"
    lines = text.splitlines()
    assert len(lines) <= LINE_BUDGET, f"{mistake}: {len(lines)} lines (budget {LINE_BUDGET}):\n{text}"
    assert NAMES_THE_CALL.search(text), f"{mistake}: the message does not say what was called and what came back:\n{text}"
    assert SAYS_WHAT_WAS_EXPECTED.search(text), f"{mistake}: the message does not say what was expected:\n{text}"
    missing = [need for need in needs if need not in text]
    assert not missing, f"{mistake}: the message lacks {missing}:\n{text}"
    assert "site-packages" not in text, f"{mistake}: the message shows library frames:\n{text}"
