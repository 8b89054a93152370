"""course_lib.tokens: offline vocabularies and chat token counting."""

import hashlib
import subprocess
import sys

import pytest

from course_lib import tokens


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_encoding_roundtrips_text(name):
    enc = tokens.encoding(name)
    text = "Tokens: naïve café, 12345, def f(x): return x**2, 日本語, 🎉"
    assert enc.decode(enc.encode(text)) == text


def test_known_token_ids():
    # Pinned ids: if the vocabulary were swapped these would change.
    assert tokens.encoding("o200k_base").encode("Hello, world!") == [13225, 11, 2375, 0]
    assert tokens.encoding("cl100k_base").encode("Hello, world!") == [9906, 11, 1917, 0]
    assert tokens.encoding("o200k_base").n_vocab == 200019
    assert tokens.encoding("cl100k_base").n_vocab == 100277


def test_vocabulary_files_match_tiktokens_published_hashes(tmp_path, monkeypatch):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    for name, (url, sha256) in tokens.VOCABULARIES.items():
        tokens._install_vocabulary(name)
        cached = tmp_path / hashlib.sha1(url.encode()).hexdigest()
        assert hashlib.sha256(cached.read_bytes()).hexdigest() == sha256


def test_corrupted_cache_is_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    url, sha256 = tokens.VOCABULARIES["cl100k_base"]
    cached = tmp_path / hashlib.sha1(url.encode()).hexdigest()
    cached.write_bytes(b"tampered")
    tokens._install_vocabulary("cl100k_base")
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == sha256


def test_unknown_encoding_says_what_exists():
    with pytest.raises(ValueError, match="o200k_base"):
        tokens.encoding("p50k_edit")


def test_works_in_a_fresh_process_with_an_empty_cache(tmp_path):
    code = (
        "import course_lib.tokens as t;"
        "print(len(t.encoding('o200k_base').encode('hello world')),"
        " len(t.encoding('cl100k_base').encode('hello world')))"
    )
    env = {"TIKTOKEN_CACHE_DIR": str(tmp_path), "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["2", "2"]


def test_message_count_follows_the_cookbook_rules():
    enc = tokens.encoding("o200k_base")
    messages = [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Hi there", "name": "ada"},
    ]
    expected = 3  # reply priming
    expected += 3 + len(enc.encode("system")) + len(enc.encode("You are terse."))
    expected += 3 + len(enc.encode("user")) + len(enc.encode("Hi there")) + 1 + 1  # name "ada"
    assert tokens.count_message_tokens(messages) == expected
    assert tokens.count_message_tokens([{"role": "user", "content": "Hello!"}]) == 9


def test_cookbook_tool_example_counts_101_tokens_for_gpt_4o():
    # OpenAI cookbook "How to count tokens with tiktoken", section 7: this request is
    # 101 prompt tokens on gpt-4o / gpt-4o-mini, and the API agrees (OpenAI cookbook, How_to_count_tokens_with_tiktoken).
    tools = [
        {
            "type": "function",
            "function": {
                "name": "get_current_weather",
                "description": "Get the current weather in a given location",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "location": {
                            "type": "string",
                            "description": "The city and state, e.g. San Francisco, CA",
                        },
                        "unit": {"type": "string", "description": "The unit of temperature to return", "enum": ["celsius", "fahrenheit"]},
                    },
                    "required": ["location"],
                },
            },
        }
    ]
    messages = [
        {"role": "system", "content": "You are a helpful assistant that can answer to questions about the weather."},
        {"role": "user", "content": "What's the weather like in San Francisco?"},
    ]
    assert tokens.count_chat_tokens(messages, tools=tools) == 101


def test_content_parts_count_like_strings():
    as_text = [{"role": "user", "content": "one two"}]
    as_parts = [{"role": "user", "content": [{"type": "text", "text": "one "}, {"type": "text", "text": "two"}]}]
    assert tokens.count_message_tokens(as_text) == tokens.count_message_tokens(as_parts)


def test_special_token_text_is_counted_as_text():
    messages = [{"role": "user", "content": "What does <|endoftext|> mean?"}]
    assert tokens.count_message_tokens(messages) > 9
    assert tokens.count("<|endoftext|>") > 1  # several ordinary tokens, not the special one


def test_concurrent_first_installs_never_fail(tmp_path, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: tokens._install_vocabulary("cl100k_base"), range(16)))
    url, sha256 = tokens.VOCABULARIES["cl100k_base"]
    cached = tmp_path / hashlib.sha1(url.encode()).hexdigest()
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == sha256
    assert [p.name for p in tmp_path.iterdir()] == [cached.name], "no temp files left behind"


def test_the_snapshot_encodes_exactly_as_tiktoken_and_a_damaged_one_is_rebuilt(tmp_path,
                                                                              monkeypatch):
    import tiktoken

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    tokens.encoding.cache_clear()
    try:
        built = tokens.encoding("cl100k_base")  # first time: tiktoken's constructor, then saved
        snapshot = tokens._snapshot("cl100k_base", tiktoken.__version__)
        assert snapshot.exists()
        tokens.encoding.cache_clear()
        loaded = tokens.encoding("cl100k_base")  # from the snapshot
        reference = tiktoken.get_encoding("cl100k_base")
        text = "naïve café 12345 def f(x): return x**2 日本語 🎉 <|endoftext|>\n\n  spaces"
        for enc in (built, loaded):
            assert enc.encode(text, disallowed_special=()) == reference.encode(
                text, disallowed_special=())
            assert enc.n_vocab == reference.n_vocab
            assert enc.special_tokens_set == reference.special_tokens_set
        snapshot.write_bytes(snapshot.read_bytes()[:-10])  # cut short
        tokens.encoding.cache_clear()
        assert tokens.encoding("cl100k_base").encode("Hello, world!") == [9906, 11, 1917, 0]
        tokens._read_snapshot(snapshot)  # rewritten whole
        assert not [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"]
    finally:
        tokens.encoding.cache_clear()
