"""Mixed precision: when "auto" picks bfloat16, and what autocast leaves in float32."""

import pytest
import torch
from transformers import AutoTokenizer

from model import precision
from model.precision import autocast, cpu_has_native_bf16, resolve_precision
from tests.model.test_network import tiny, toy_batch
from training.config import ModelConfig
from training.trainer import encoder_path

CPU = torch.device("cpu")


def cpuinfo(tmp_path, flags: str):
    path = tmp_path / "cpuinfo"
    path.write_text(f"processor\t: 0\nmodel name\t: test\nflags\t\t: fpu sse2 {flags}\n")
    return path


def test_native_bf16_is_read_from_the_cpu_flags(tmp_path):
    assert cpu_has_native_bf16(cpuinfo(tmp_path, "avx512f avx512_bf16"))
    assert cpu_has_native_bf16(cpuinfo(tmp_path, "amx_tile amx_bf16"))
    assert not cpu_has_native_bf16(cpuinfo(tmp_path, "avx512f avx512bw avx2"))
    assert not cpu_has_native_bf16(tmp_path / "missing")  # not Linux: no file, no bf16


@pytest.mark.parametrize("native, expected", [(True, "bf16"), (False, "fp32")])
def test_auto_follows_the_hardware_and_explicit_choices_win(monkeypatch, native, expected):
    monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda: native)
    assert resolve_precision("auto", CPU) == expected
    assert resolve_precision("fp32", CPU) == "fp32"
    assert resolve_precision("bf16", CPU) == "bf16"
    with pytest.raises(ValueError, match="precision: expected one of auto, fp32, bf16"):
        resolve_precision("fp16", CPU)


def test_bf16_runs_products_in_bf16_and_keeps_logits_and_loss_float32():
    tokenizer = AutoTokenizer.from_pretrained(str(encoder_path(ModelConfig())))
    network = tiny(tokenizer, pair_context=True)
    batch = toy_batch(tokenizer)
    product_dtypes = []
    query = network.encoder.encoder.layer[0].attention.self.query
    query.register_forward_hook(lambda module, args, out: product_dtypes.append(out.dtype))
    with autocast("bf16", CPU):
        output = network(batch)
    assert product_dtypes == [torch.bfloat16]
    for name in ("tag_logits", "sentence_logits", "stance_logits", "mode_logits", "event_logits"):
        assert getattr(output, name).dtype == torch.float32
    output.loss.backward()
    assert torch.isfinite(output.loss)
    assert all(p.grad is None or p.grad.dtype == torch.float32 for p in network.parameters())
    with torch.no_grad():
        exact = network.eval()(batch)
        with autocast("bf16", CPU):
            rounded = network(batch)
    assert torch.allclose(rounded.stance_logits, exact.stance_logits, atol=0.1)
    with autocast("fp32", CPU):
        network(batch)
    assert product_dtypes[-1] == torch.float32
