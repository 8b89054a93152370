"""The KV-cache formula against the published figures it is quoted with (facts §9)."""

import doctest

import pytest

from course_lib.kv_cache import CONFIGS, LLAMA_2_7B, LLAMA_3_8B, KVConfig, kv_bytes_per_token, kv_cache_bytes


def test_nvidia_blog_example_llama_2_7b():
    # The blog: 1 * 4096 * 2 * 32 * 4096 * 2 bytes ~ 2 GB (batch, tokens, K and V, layers, hidden, fp16).
    assert kv_cache_bytes(LLAMA_2_7B, tokens=4096) == 1 * 4096 * 2 * 32 * 4096 * 2 == 2 * 2**30
    assert kv_bytes_per_token(LLAMA_2_7B) == 512 * 1024


def test_gqa_shrinks_the_cache_by_heads_over_kv_heads():
    assert kv_bytes_per_token(LLAMA_3_8B) == 128 * 1024
    assert kv_cache_bytes(LLAMA_3_8B, tokens=8192) == 2**30
    assert kv_bytes_per_token(LLAMA_2_7B) // kv_bytes_per_token(LLAMA_3_8B) == 4


def test_linear_in_tokens_batch_and_precision():
    base = kv_cache_bytes(LLAMA_3_8B, tokens=1000)
    assert kv_cache_bytes(LLAMA_3_8B, tokens=3000) == 3 * base
    assert kv_cache_bytes(LLAMA_3_8B, tokens=1000, batch=4) == 4 * base
    assert kv_cache_bytes(LLAMA_3_8B, tokens=1000, bytes_per_element=1) * 2 == base  # fp8 halves it
    assert kv_cache_bytes(LLAMA_3_8B, tokens=0) == 0


def test_configs_name_their_source_and_hidden_size():
    for config in CONFIGS:
        assert config.source and config.hidden_size == 4096


@pytest.mark.parametrize("kwargs", [{"tokens": -1}, {"tokens": 1, "batch": 0},
                                    {"tokens": 1, "bytes_per_element": 0}])
def test_bad_arguments_say_what_to_do(kwargs):
    with pytest.raises(ValueError):
        kv_cache_bytes(KVConfig("x", 1, 1, 1, 1, "test"), **kwargs)


def test_docstring_examples():
    from course_lib import kv_cache

    result = doctest.testmod(kv_cache)
    assert result.attempted and result.failed == 0
