"""How much memory a transformer's KV cache takes, from a model's published configuration.

Every layer keeps a key and a value vector per KV head for every token it has seen, so
(NVIDIA Technical Blog, "Mastering LLM Techniques: Inference Optimization"):

    bytes = 2 (K and V) x layers x kv_heads x head_dim x bytes_per_element x tokens x batch

Before grouped-query attention (GQA) every attention head had its own K and V
(``kv_heads == heads``); with GQA several query heads share one, which shrinks the cache.

    >>> kv_cache_bytes(LLAMA_2_7B, tokens=4096) / 2**30          # fp16, batch 1
    2.0
    >>> kv_bytes_per_token(LLAMA_3_8B) // 1024                    # KiB per token, 4x smaller
    128

The formula ignores what a real server adds on top: the weights themselves, activations, and
the padding of paged allocators (vLLM hands out blocks of 16 tokens).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CONFIGS", "LLAMA_2_7B", "LLAMA_3_8B", "KVConfig", "kv_bytes_per_token", "kv_cache_bytes"]


@dataclass(frozen=True)
class KVConfig:
    """The parts of a model's published configuration the KV cache depends on."""

    name: str
    layers: int
    heads: int  # query heads
    kv_heads: int  # key/value heads (== heads without GQA)
    head_dim: int
    source: str

    @property
    def hidden_size(self) -> int:
        return self.heads * self.head_dim


LLAMA_2_7B = KVConfig(
    "Llama-2-7B", layers=32, heads=32, kv_heads=32, head_dim=128,
    source="NVIDIA Technical Blog, 'Mastering LLM Techniques: Inference Optimization' "
           "(Llama 2 7B, 16-bit, 4,096 tokens: about 2 GB of KV cache)",
)
LLAMA_3_8B = KVConfig(
    "Llama-3-8B", layers=32, heads=32, kv_heads=8, head_dim=128,
    source="Meta-Llama-3-8B model metadata; oumi configs/recipes/llama3_1/README.md "
           "(32 layers, 32 query heads, 8 KV heads, hidden size 4,096)",
)
CONFIGS = (LLAMA_2_7B, LLAMA_3_8B)


def kv_bytes_per_token(config: KVConfig, bytes_per_element: int | float = 2) -> int:
    """Bytes of K and V one token adds across all layers (fp16/bf16: 2 bytes per element)."""
    if bytes_per_element <= 0:
        raise ValueError("bytes_per_element must be positive: 2 for fp16/bf16, 1 for fp8, 4 for fp32")
    return int(2 * config.layers * config.kv_heads * config.head_dim * bytes_per_element)


def kv_cache_bytes(
    config: KVConfig, tokens: int, *, bytes_per_element: int | float = 2, batch: int = 1
) -> int:
    """Bytes of KV cache for ``batch`` sequences of ``tokens`` tokens each."""
    if tokens < 0 or batch < 1:
        raise ValueError("tokens must be >= 0 and batch >= 1")
    return kv_bytes_per_token(config, bytes_per_element) * tokens * batch
