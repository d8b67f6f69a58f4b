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

# The messages are computed once per session (see all_messages), whichever xdist workers run these tests.

LINE_BUDGET = 40
EXPLAINED = {"en": "what this error usually means", "zh": "这个错误通常意味着什么"}
SHAPE_TRACE = {"en": "shape trace: your model vs the reference", "zh": "形状追踪："}

LARGEST = {"en": "largest difference", "zh": "最大差值"}
PICTURE = {"en": "the same picture as a PNG: ", "zh": "同一图示的 PNG 文件："}
NO_DIFFERENCE = {"en": "no difference map: the shapes differ", "zh": "没有差异图：两者形状不同"}
RETURNED = {"en": "It returned", "zh": "它返回了"}


def absent(words):
    """A need that the message must NOT meet: it would blame a cause the test did not observe."""
    return ("absent", words)


# mutant -> (the test that meets it, what its message must contain besides the general rules: a substring for both
# languages, {"en": ..., "zh": ...} for each, absent(...) for what it must not say)
MISTAKES = {
    "tensors/reshape_with_view": ("test_tensors.py::test_reshape_accepts_non_contiguous_input", ["view", EXPLAINED]),
    "tensors/flatten_infers_batch": ("test_tensors.py::test_flatten_per_sample_keeps_batch_dimension[batch-4]", ["flatten_per_sample"]),
    "tensors/pick_device_returns_string": ("test_tensors.py::test_pick_device_follows_cuda_availability[cuda]", ["pick_device"]),
    "datasets/keeps_file_mode": ("test_datasets.py::test_label_folder_dataset_converts_to_rgb[grayscale-file]", ["RGB"]),
    "datasets/unsorted_listing": ("test_datasets.py::test_label_folder_dataset_orders_files_by_name", [{"en": "sort", "zh": "排序"}]),
    "datasets/concat_as_list": ("test_datasets.py::test_concat_datasets_is_flat_not_a_pair", ["ConcatDataset"]),
    "dataloader/ignores_drop_last": ("test_dataloader.py::test_batched_loader_len_and_batch_sizes[remainder-dropped]", ["drop_last"]),
    "dataloader/next_on_the_loader": ("test_dataloader.py::test_first_batch_returns_the_first_batch", ["iter"]),
    "dataloader/collates_to_lists": ("test_dataloader.py::test_batched_loader_keeps_dataset_order", ["batched_loader"]),
    "summary_writer/hwc_as_chw": ("test_summary_writer.py::test_log_image_array_hwc_keeps_width_height_and_step", ["dataformats", EXPLAINED]),
    "summary_writer/never_closed": ("test_summary_writer.py::test_log_scalars_closes_its_writer", ["close"]),
    "summary_writer/steps_from_one": ("test_summary_writer.py::test_log_scalars_steps_count_from_zero", ["step"]),
    "transforms/normalize_in_place": ("test_transforms.py::test_normalize_does_not_modify_its_input", [{"en": "x itself has changed", "zh": "x 本身被改动了"}, LARGEST]),
    "transforms/std_unbiased": ("test_transforms.py::test_channel_mean_std_over_all_images_and_pixels", ["channel_mean_std", LARGEST, {"en": "population standard deviation", "zh": "总体标准差"}]),
    "transforms/resize_pair_as_width_height": ("test_transforms.py::test_resize_pil_image[pair-is-h-w]", ["resize", PICTURE, NO_DIFFERENCE]),
    "transforms/to_tensor_without_scaling": ("test_transforms.py::test_image_to_tensor_uint8_hwc_becomes_float_chw_over_255", ["255", PICTURE]),
    "cifar/tensors_hwc": ("test_cifar.py::test_load_cifar10_tensors_items_are_float_chw_in_unit_range", ["(3, 32, 32)", PICTURE]),
    "cifar/downloads": ("test_cifar.py::test_load_cifar10_missing_data_raises_and_does_not_download", ["download"]),
    "cifar/counts_are_tensors": ("test_cifar.py::test_count_per_class_counts_are_python_ints", ["int"]),
    "modules/missing_third_pool": ("test_modules.py::test_cifar_net_output_shape[1]", [SHAPE_TRACE, {"en": "first difference", "zh": "第一处不同"}, {"en": "4096 features arrive", "zh": "传入 4096 个特征"}, EXPLAINED]),
    "modules/linear_sized_before_last_pool": ("test_modules.py::test_cifar_net_output_shape[4]", [SHAPE_TRACE, "Linear(4096, 64)"]),
    "modules/sequential_missing_pool": ("test_modules.py::test_cifar_sequential_is_a_sequential_of_nine_layers", ["MaxPool2d"]),
    "modules/layers_in_a_list": ("test_modules.py::test_cifar_net_forward_is_the_notes_pipeline", ["CifarNet"]),
    "conv/manual_ignores_groups": ("test_conv.py::test_conv2d_manual_matches_conv2d", ["conv2d_manual", "groups", LARGEST]),
    "conv/manual_pads_one_side": ("test_conv.py::test_conv2d_manual_edge_maps_of_a_square", ["conv2d_manual", "padding=(1, 2)", LARGEST, PICTURE]),
    "conv/manual_flips_the_kernel": ("test_conv.py::test_conv2d_manual_tutorial_example_with_bias", ["conv2d_manual", PICTURE, {"en": "difference: black where they agree", "zh": "差异：黑色表示一致"}]),
    "conv/single_stride_as_width_height": ("test_conv.py::test_conv2d_single_pairs_are_height_then_width[stride-2-vertical]", ["conv2d_single"]),
    "layers/linear_no_check": ("test_layers.py::test_linear_output_shape_rejects_wrong_last_dimension[2d]", [RETURNED, "ValueError"]),
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
    "checkpoint/loads_non_strict": ("test_checkpoint.py::test_load_state_dict_into_refuses_another_architecture[layer-missing-from-file]", [{"en": "strict", "zh": "严格模式"}]),
    "training/epoch_without_zero_grad": ("test_training.py::test_train_one_epoch_matches_a_reference_epoch", [{"en": "clear the gradients", "zh": "清空梯度"}]),
    "training/evaluate_in_train_mode": ("test_training.py::test_evaluate_uses_eval_mode_and_no_grad", ["eval()"]),
    "training/evaluate_batches_not_moved": ("test_training.py::test_evaluate_moves_batches_and_leaves_weights_alone", [".to(device)"]),
    "fast_training/train_forgets_zero_grad": ("test_fast_training.py::test_train_fast_takes_one_adam_step_per_batch", [{"en": "fresh gradients", "zh": "新算出的梯度"}, LARGEST]),
    "fast_training/evaluate_forgets_eval_mode": ("test_fast_training.py::test_evaluate_fast_eval_mode_inference_and_one_read_back", [{"en": "call model.eval() before evaluating", "zh": "评估前要调用 model.eval()"}]),
    # issue 20: messages that blamed the wrong cause or said too little, and the new ones of round 2
    "modules/count_includes_buffers": ("test_modules.py::test_count_parameters_counts_every_element[batchnorm-buffers-excluded]", [{"en": "plus the 9 numbers of its buffers", "zh": "的 9 个数值"}]),
    "modules/count_with_numpy_prod": ("test_modules.py::test_count_parameters_returns_a_python_int[False]", [{"en": "numpy int64", "zh": "numpy 的 int64"}]),
    "modules/count_tensors_not_elements": ("test_modules.py::test_count_parameters_counts_every_element[linear]", [{"en": "weight (64, 1024), bias (64,)", "zh": "它的参数是 weight (64, 1024)"}, absent("numpy")]),
    "conv/manual_int_stride_height_only": ("test_conv.py::test_conv2d_manual_int_arguments_apply_to_both_dimensions", [{"en": "applies to both the height and the width", "zh": "同时作用于高度和宽度"}]),
    "conv/single_keeps_added_dims": ("test_conv.py::test_conv2d_single_exact_values[stride-1]", [{"en": "no batch or channel dimension", "zh": "不带批维度"}]),
    "conv/weight_shape_true_division": ("test_conv.py::test_conv_weight_shape_matches_conv2d[cifar-first-conv]", [{"en": "in_channels // groups an int", "zh": "in_channels // groups 才是整数"}]),
    "tensors/to_device_ignores_result": ("test_tensors.py::test_to_device_returns_new_tensor_and_leaves_original", [{"en": "does not move a tensor in place", "zh": "不会原地移动张量"}]),
    "tensors/shares_storage_from_contiguity": ("test_tensors.py::test_reshape_shares_storage_tells_view_from_copy[permuted-mergeable]", [{"en": "x.is_contiguous() is False", "zh": "x.is_contiguous() 为 False"}]),
    "tensors/shares_storage_leaves_probe": ("test_tensors.py::test_reshape_shares_storage_tells_view_from_copy[contiguous]", [{"en": "finding out must leave x as it was", "zh": "做判断时不能改动 x"}]),
    "tensors/to_device_module_parameters_only": ("test_tensors.py::test_to_device_moves_module_in_place", [{"en": "moves its buffers", "zh": "缓冲区"}]),
    "modules/flatten_with_view_breaks_channels_last": ("test_modules.py::test_cifar_net_works_in_channels_last", [{"en": "Tensor.view needs a compatible", "zh": "Tensor.view 要求内存布局兼容"}]),
    "vgg/builds_on_the_cpu": ("test_vgg.py::test_vgg16_append_layer_adds_a_named_layer_after_the_head[10]", [{"en": "no device of its own chosen", "zh": "既不能自行指定设备"}]),
    "conv/manual_calls_torch_convolution": ("test_conv.py::test_conv2d_manual_runs_no_convolution_operator", [{"en": "PyTorch ran the convolution operator(s)", "zh": "PyTorch 执行了卷积算子"}]),
    "optim/fit_with_the_notes_momentum": ("test_optim.py::test_fit_matches_a_reference_training_loop", ["momentum", absent({"en": "stale gradients", "zh": "旧梯度"})]),
    "optim/fit_zero_grad_after_step": ("test_optim.py::test_fit_clears_stale_gradients", [{"en": "stale gradients", "zh": "旧梯度"}]),
    "optim/fit_returns_tensors": ("test_optim.py::test_fit_matches_a_reference_training_loop", ["[float, ...]", absent("numpy()")]),
    "optim/train_step_returns_tensor": ("test_optim.py::test_train_step_matches_a_reference_step", [{"en": "Python float", "zh": "不是张量"}]),
    "optim/train_step_zero_grad_before_step": ("test_optim.py::test_train_step_clears_old_gradients", [{"en": "Already after the first call", "zh": "第一次调用之后"}]),
    "layers/ceil_mode_keeps_window_in_padding": ("test_layers.py::test_maxpool2d_ceil_mode_drops_a_window_starting_in_padding", [{"en": "right padding", "zh": "右侧的填充"}]),
    "layers/sigmoid_in_place": ("test_layers.py::test_sigmoid_formula_and_input_untouched", [{"en": "x itself was modified", "zh": "x 本身被修改了"}]),
    "layers/dropout_mask_on_cpu": ("test_layers.py::test_channel_dropout_result_is_on_the_device_of_x", [{"en": "It raised RuntimeError", "zh": "抛出了 RuntimeError"}]),
    "losses/l1_reshapes_prediction": ("test_losses.py::test_l1_loss_shape_mismatch_broadcasts_to_a_wrong_value", [{"en": "8/9", "zh": "广播"}, absent("DID NOT WARN")]),
    "conv/manual_flips_the_kernel@int-args": ("test_conv.py::test_conv2d_manual_int_arguments_apply_to_both_dimensions", [{"en": "not in how an int argument is read", "zh": "而不在于如何解读整数参数"}, absent({"en": "applies to both", "zh": "同时作用于"})]),
    "distributed/train_epoch_forgets_set_epoch": ("test_distributed.py::test_train_epoch_matches_a_reference_epoch_on_one_rank", [{"en": "call loader.sampler.set_epoch(epoch) before iterating", "zh": "遍历之前先调用 loader.sampler.set_epoch(epoch)"}, absent({"en": "clear the gradients", "zh": "清零梯度"})]),
    "fast_training/train_returns_loss_tensors": ("test_fast_training.py::test_train_fast_epoch_loss_is_the_mean_over_samples", [{"en": "train_fast returns one Python float per epoch", "zh": "train_fast 每轮返回一个 Python float"}]),
    "fast_training/load_converts_on_the_host": ("test_fast_training.py::test_load_split_to_device_copies_the_uint8_bytes_once[meta]", [{"en": "as the uint8 array dataset.data", "zh": "以 uint8 数组 dataset.data"}]),
    "distributed/save_checkpoint_without_barrier": ("test_distributed.py::test_save_checkpoint_file_is_complete_when_any_rank_returns", [{"en": "waits at torch.distributed.barrier() before returning", "zh": "torch.distributed.barrier() 处等待"}]),
    "distributed/main_every_rank_prints": ("test_distributed.py::test_main_prints_from_rank_0_only[rank-1]", [{"en": "Only rank 0 of the whole run prints", "zh": "只有 rank 0 打印"}]),
    "training/epoch_losses_as_tensors": ("test_training.py::test_train_one_epoch_clears_gradients_left_from_before", [{"en": "loss.item() turns each step's 0-d loss tensor into a number", "zh": "用 loss.item() 把每一步的 0 维损失张量变成数字"}, absent("numpy()")]),
    "training/epoch_zero_grad_after_step": ("test_training.py::test_train_one_epoch_clears_gradients_left_from_before", [{"en": "the stale gradients counted in a step", "zh": "旧梯度被算进了某一步更新"}]),
    "training/epoch_batches_not_moved": ("test_training.py::test_train_one_epoch_moves_every_batch_to_the_device", [{"en": "was applied to a batch tensor that was never moved", "zh": "对一个从未移动过的批张量调用了"}]),
    "training/run_training_always_downloads": ("test_training.py::test_run_training_missing_data_fails_without_downloading", [{"en": "although download=True was not asked for", "zh": "调用方并没有要求 download=True"}]),
    "cifar/counts_fail_on_an_empty_split": ("test_cifar.py::test_count_per_class_counts_every_class[no-items-at-all]", [{"en": "It raised NotImplementedError", "zh": "它抛出了 NotImplementedError"}, absent({"en": "not solved yet", "zh": "还没有完成"})]),
    "checkpoint/state_dict_saves_whole_model": ("test_checkpoint.py::test_save_state_dict_writes_only_tensors[str-path]", [{"en": "refused the file with UnpicklingError", "zh": "拒绝了这个文件，抛出 UnpicklingError"}]),
    "checkpoint/unsafe_state_dict_load": ("test_checkpoint.py::test_load_state_dict_into_refuses_a_malicious_file", [{"en": "ran the code hidden in it", "zh": "执行了其中隐藏的代码"}]),
    "summary_writer/tensor_times_255": ("test_summary_writer.py::test_log_image_tensor_pixel_values", [{"en": "add_image multiplies float images by 255 itself", "zh": "add_image 会自己把浮点图像乘以 255"}, PICTURE]),
    "dataloader/subset_in_random_order": ("test_dataloader.py::test_subset_loader_visits_only_given_indices_in_order", [{"en": "in exactly the order they are listed", "zh": "严格按列出的顺序"}, absent("shuffle"), absent("one-shot")]),
    "dataloader/subset_one_shot_iterator": ("test_dataloader.py::test_subset_loader_same_samples_on_every_pass", [{"en": "used up after one pass", "zh": "用完了"}]),
    "dataloader/subset_deduplicates_indices": ("test_dataloader.py::test_subset_loader_visits_a_repeated_index_twice", [{"en": "listed twice must be visited twice", "zh": "列出两次的索引必须访问两次"}]),
    "dataloader/batched_drops_last_by_default": ("test_dataloader.py::test_batched_loader_keeps_dataset_order", [{"en": "partial last batch is missing", "zh": "最后那个不满的批不见了"}]),
    "transforms/resize_int_as_square": ("test_transforms.py::test_resize_tensor[int-smaller-edge]", [{"en": "but the tests expected tensor (3, 10, 15)", "zh": "但测试期望 tensor (3, 10, 15)"}]),
    "transforms/resize_int_as_square@agree": ("test_transforms.py::test_resize_pil_and_tensor_agree", [{"en": "sets the smaller edge", "zh": "设定短边"}]),
    "transforms/stats_over_wrong_dims": ("test_transforms.py::test_channel_mean_std_makes_normalize_standardize", [{"en": "one mean and one std per channel", "zh": "每个通道给出一个均值"}]),
    "transforms/compose_as_a_plain_list": ("test_transforms.py::test_resize_then_tensor_output_shape", [{"en": "transforms.Compose", "zh": "可调用对象"}]),
    "transforms/to_pil_transposed": ("test_transforms.py::test_tensor_to_image_single_channel_uint8_is_grayscale_as_is", [{"en": "a PIL image's size is (w, h)", "zh": "PIL 图片的 size 是 (w, h)"}]),
    "datasets/reads_with_torchvision_io": ("test_datasets.py::test_label_folder_dataset_orders_files_by_name", [{"en": "PIL.Image.Image", "zh": "PIL 图片"}]),
    "datasets/returns_a_dict": ("test_datasets.py::test_label_folder_dataset_orders_files_by_name", [{"en": "(image, label)", "zh": "元组 (image, label)"}]),
    "datasets/preloads_images": ("test_datasets.py::test_label_folder_dataset_opens_images_lazily", [{"en": "open the files in __getitem__", "zh": "在 __getitem__ 中再打开文件"}]),
    "modules/sequential_flatten_class": ("test_modules.py::test_cifar_sequential_is_a_sequential_of_nine_layers", ["is not a Module subclass", EXPLAINED, {"en": "has to be called to make a layer", "zh": "要先调用它才会得到一个层"}]),
    "losses/l1_loss_class_given_the_tensors": ("test_losses.py::test_l1_loss_formula[mean]", [EXPLAINED, {"en": "Make the loss module first", "zh": "损失模块要先创建出来"}]),
    "losses/cross_entropy_all_ignored_gives_zero": ("test_losses.py::test_cross_entropy_ignore_index_leaves_out_items", ["0 / 0"]),
}  # fmt: skip

def mutant(mistake: str) -> str:
    """The mutant of a table's key: 'conv/manual_flips_the_kernel@int-args' names a second test of one mutant."""
    return mistake.split("@", 1)[0]


# mutant -> a test it must PASS: the mistake lies elsewhere, so this test must not blame it (issue 20)
NOT_BLAMED = {
    "transforms/normalize_in_place": "test_transforms.py::test_normalize_single_value_applies_to_every_channel",
    "optim/fit_with_the_notes_momentum": "test_optim.py::test_fit_clears_stale_gradients",
    "optim/train_step_zero_grad_before_step": "test_optim.py::test_train_step_clears_stale_gradients_first",
}  # fmt: skip

NAMES_THE_CALL = {"en": re.compile(r"Called |called |It returned|returned |gave "), "zh": re.compile(r"调用了|返回了|实际得到|得到")}
SAYS_WHAT_WAS_EXPECTED = {
    "en": re.compile(r"expected|expects|must |should |needs? |[Cc]all |[Mm]ove |[Ss]ave |[Kk]eep |[Uu]se |" + EXPLAINED["en"]),
    "zh": re.compile(r"期望|必须|应该|应当|应|要|需要|" + EXPLAINED["zh"]),
}


LANGS = ["en", "zh"]


@pytest.fixture(scope="module")
def all_messages(tmp_path_factory, run_module):
    """Every mistake's message in English and in Chinese (KATAS_LANG): {lang: {(mutant, test): result}}.

    One subprocess per language, both started at once (each collects the kata tests once), once per pytest session:
    the first xdist worker to get here computes them under a file lock in the session's temporary folder, which
    every worker shares, and the others read them (xdist's loadgroup does not keep a module on one worker here)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    answers = shared / "kata-messages.json"
    with FileLock(str(shared / "kata-messages.lock")):
        if answers.is_file():
            stored = json.loads(answers.read_text(encoding="utf-8"))
            return {lang: {tuple(key.split("\n")): result for key, result in found.items()} for lang, found in stored.items()}
        computed = _compute(tmp_path_factory, run_module)
        stored = {lang: {"\n".join(key): result for key, result in found.items()} for lang, found in computed.items()}
        answers.write_text(json.dumps(stored), encoding="utf-8")
        return computed


def _compute(tmp_path_factory, run_module) -> dict:
    from concurrent.futures import ThreadPoolExecutor

    spec = [{"overlay": f"mutants/{mutant(m)}.py", "test": f"tests/katas/{test}"} for m, (test, _) in MISTAKES.items()]
    spec += [{"overlay": f"mutants/{mutant(m)}.py", "test": f"tests/katas/{test}"} for m, test in NOT_BLAMED.items()]
    assert len({(e["overlay"], e["test"]) for e in spec}) == len(spec), "one entry per mutant and test"
    path = tmp_path_factory.mktemp("messages") / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")

    def one(lang: str) -> dict:
        # a picture counts as the terminal draws it (grey: colour codes would not add lines), 100 columns wide
        env = {"KATAS_LANG": lang, "KATAS_PICTURE_MODE": "grey", "KATAS_PICTURE_COLUMNS": "100"}
        done = run_module("-m", "kata_harness.checks.messages", str(path), env=env)
        found = {}
        for line in done.stdout.splitlines():
            if line.startswith("MESSAGE "):
                result = json.loads(line[len("MESSAGE ") :])
                found[(result["overlay"][len("mutants/") : -len(".py")], result["test"].split("/")[-1])] = result
        assert len(found) == len(spec), (
            f"the messages tool ({lang}) answered {len(found)} of {len(spec)}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
        return found

    with ThreadPoolExecutor(len(LANGS)) as pool:
        return dict(zip(LANGS, pool.map(one, LANGS)))


@pytest.fixture(params=LANGS)
def messages(request, all_messages):
    """lang, {(mutant, test): result}."""
    return request.param, all_messages[request.param]


def test_at_least_thirty_mistakes_across_every_module():
    from kata_harness import manifest

    modules = {kata.module for kata in manifest.load()} - {"distributed"}
    covered = {mutant(mistake).split("/", 1)[0] for mistake in MISTAKES}
    assert len(MISTAKES) >= 30 and modules <= covered, sorted(modules - covered)


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_the_message_teaches(messages, mistake):
    lang, found = messages
    test, needs = MISTAKES[mistake]
    result = found[(mutant(mistake), test)]
    text = result["text"]
    assert result["outcome"] == "failed", f"{mistake} was not caught by {test}: {result['outcome']}\n{text}"
    lines = text.splitlines()
    assert len(lines) <= LINE_BUDGET, f"{mistake}: {len(lines)} lines (budget {LINE_BUDGET}):\n{text}"
    assert NAMES_THE_CALL[lang].search(text), f"{mistake}: the message does not say what was called and what came back:\n{text}"
    assert SAYS_WHAT_WAS_EXPECTED[lang].search(text), f"{mistake}: the message does not say what was expected:\n{text}"
    def words(need) -> str:
        return need[lang] if isinstance(need, dict) else need

    flat = re.sub(r"\s*\n\s*", " " if lang == "en" else "", text)  # sections wrapped at the terminal's width

    def said(need) -> bool:
        return words(need) in text or words(need) in flat

    missing = [words(need) for need in needs if not isinstance(need, tuple) and not said(need)]
    assert not missing, f"{mistake}: the message lacks {missing}:\n{text}"
    wrong = [words(need[1]) for need in needs if isinstance(need, tuple) and said(need[1])]
    assert not wrong, f"{mistake}: the message says {wrong}, a cause the test did not observe:\n{text}"
    assert "site-packages" not in text, f"{mistake}: the message shows library frames:\n{text}"
    if lang == "zh":
        prose = english_prose(text)
        assert not prose, f"{mistake}: English prose in a Chinese failure: {prose}\n{text}"


@pytest.mark.parametrize("mistake", list(NOT_BLAMED))
def test_a_mistake_is_not_blamed_by_a_test_about_another_one(messages, mistake):
    lang, found = messages
    result = found[(mutant(mistake), NOT_BLAMED[mistake])]
    assert result["outcome"] == "passed", f"{NOT_BLAMED[mistake]} blames {mistake} for a mistake it does not make:\n{result['text']}"


# --- English prose in a Chinese failure ------------------------------------------------------------------
# Code, values, shapes and the library's own text are quoted as they are; everything else is Chinese.

TRACEBACK_ENTRY = re.compile(r"^\S.*\.py:\d+: in ")
# an exception's own message (a library's); AssertionError carries the tests' own words, which are checked
LIBRARY_TEXT = re.compile(r"\b(?!Assertion)[A-Z]\w*(Error|Exception|Warning)\b(: |：| ).*$")
QUOTED = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|\([^()]*\)|\[[^\[\]]*\]")  # code, strings, tuples, lists
WORDS = re.compile(r"(?:\b[A-Za-z][a-z]+\b[ ,;:]+){4}\b[A-Za-z][a-z]+\b")  # five plain words in a row


def english_prose(text: str) -> list[str]:
    found = []
    lines = text.splitlines()
    library = False  # inside an exception's own message: its "E   " lines after "E   SomeError: ..."
    for number, line in enumerate(lines):
        if TRACEBACK_ENTRY.match(line) or (number and TRACEBACK_ENTRY.match(lines[number - 1])):
            library = False
            continue  # where, and the line of code there
        if line.startswith("E   ") and LIBRARY_TEXT.match(line[4:].lstrip()):
            library = True
            continue
        if library and line.startswith("E   "):
            continue
        library = False
        body = line[4:] if line.startswith("E   ") else line
        body = LIBRARY_TEXT.sub("", QUOTED.sub("", body))
        if WORDS.search(body):
            found.append(line.strip())
    return found


def test_the_prose_detector_tells_chinese_from_english():
    assert english_prose("调用了 f(x)。它返回了 tensor (2, 3) float32 on cpu，但测试期望 tensor (3, 2)。") == []
    assert english_prose("E   RuntimeError: shape '[2, -1]' is invalid for input of size 12") == []
    assert english_prose("它抛出了 ValueError: the last dimension must be four here") == []
    assert english_prose("调用了 f(x)。Elements keep their row-major order in the result.") != []
    assert english_prose("E   AssertionError: 调用了 f(x)。\nE     the values must keep their order here") != []
    assert english_prose("E   UnpicklingError: Weights only load failed.\nE   \t(1) In PyTorch 2.6, we changed the default") == []
