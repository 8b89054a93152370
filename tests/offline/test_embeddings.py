"""The stand-in's ``POST /v1/embeddings``, driven through the real ``openai`` SDK (and raw HTTP)."""

from __future__ import annotations

import asyncio
import base64
import struct

import httpx
import openai
import pytest
from openai.types import CreateEmbeddingResponse

from course_lib import models, tokens
from course_lib.clients import OFFLINE_KEY
from course_lib.config import DEFAULT_EMBEDDING_MODEL, embedding_model
from course_lib.offline.openai import embeddings

SMALL, LARGE = "text-embedding-3-small", "text-embedding-3-large"
CHAT = next(m.model for m in models.models("openai"))


@pytest.fixture(scope="module")
def client(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/v1", api_key=OFFLINE_KEY, max_retries=0, timeout=20)


def dot(a, b):
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_one_string_and_an_array_parse_into_sdk_types(client):
    one = client.embeddings.create(model=SMALL, input="The kettle's battery lasts a week.")
    assert isinstance(one, CreateEmbeddingResponse)
    assert one.object == "list" and one.model == SMALL and len(one.data) == 1
    assert one.data[0].object == "embedding" and one.data[0].index == 0
    assert len(one.data[0].embedding) == 1536
    assert dot(one.data[0].embedding, one.data[0].embedding) == pytest.approx(1, abs=1e-6)
    many = client.embeddings.create(model=LARGE, input=["alpha", "beta", "gamma"])
    assert [d.index for d in many.data] == [0, 1, 2]
    assert {len(d.embedding) for d in many.data} == {3072}


def test_usage_counts_cl100k_tokens(client):
    texts = ["Contextual retrieval prepends a short context.", "東京の天気は晴れです。こんにちは"]
    r = client.embeddings.create(model=SMALL, input=texts)
    expected = sum(tokens.count(t, encoding_name="cl100k_base") for t in texts)
    assert r.usage.prompt_tokens == r.usage.total_tokens == expected
    assert expected != sum(tokens.count(t) for t in texts)  # o200k would be the wrong count
    assert models.cost(r.usage, SMALL) == pytest.approx(expected * 0.02 / 1e6)


def test_token_arrays_embed_like_their_text(client):
    ids = tokens.encoding("cl100k_base").encode("battery life")
    by_ids = client.embeddings.create(model=SMALL, input=[ids, ids])
    by_text = client.embeddings.create(model=SMALL, input="battery life")
    assert by_ids.data[0].embedding == pytest.approx(by_text.data[0].embedding, abs=1e-6)
    assert by_ids.usage.prompt_tokens == 2 * len(ids)
    single = client.embeddings.create(model=SMALL, input=ids)  # one token array
    assert len(single.data) == 1


def test_deterministic_and_similar_for_shared_words(client):
    texts = ["How long does the battery last?", "The battery lasts about a week.",
             "Descale the kettle with vinegar."]
    a = client.embeddings.create(model=SMALL, input=texts).data
    b = client.embeddings.create(model=SMALL, input=texts).data
    assert [d.embedding for d in a] == [d.embedding for d in b]
    q, near, far = (d.embedding for d in a)
    assert dot(q, near) > dot(q, far)


def test_dimensions_are_honoured(client):
    texts = ["battery warranty", "the warranty of the battery", "descaling"]
    short = client.embeddings.create(model=SMALL, input=texts, dimensions=256).data
    assert {len(d.embedding) for d in short} == {256}
    assert all(dot(d.embedding, d.embedding) == pytest.approx(1, abs=1e-6) for d in short)
    q, near, far = (d.embedding for d in short)
    assert dot(q, near) > dot(q, far)


def test_float_and_base64_encodings_agree(client, url):
    as_float = client.embeddings.create(model=SMALL, input="hello", encoding_format="float")
    default = client.embeddings.create(model=SMALL, input="hello")  # the SDK asks for base64
    assert default.data[0].embedding == pytest.approx(as_float.data[0].embedding, abs=1e-6)
    raw = httpx.post(url + "/v1/embeddings", headers={"Authorization": f"Bearer {OFFLINE_KEY}"},
                     json={"model": SMALL, "input": "hello", "encoding_format": "base64"})
    packed = base64.b64decode(raw.json()["data"][0]["embedding"])
    assert list(struct.unpack(f"<{len(packed) // 4}f", packed)) == pytest.approx(
        as_float.data[0].embedding, abs=1e-6)


def test_async_client_agrees(client, url):
    async def run():
        aclient = openai.AsyncOpenAI(base_url=url + "/v1", api_key=OFFLINE_KEY, max_retries=0)
        return await aclient.embeddings.create(model=SMALL, input="same text")

    assert asyncio.run(run()).data[0].embedding == pytest.approx(
        client.embeddings.create(model=SMALL, input="same text").data[0].embedding, abs=1e-6)


INVALID = "'$.input' is invalid. Please check the API reference"


@pytest.mark.parametrize("value", ["", [], ["fine", ""], [""], 3, [1.5], {"text": "x"}, [[]],
                                   [[-1]], ["a", 1]])
def test_invalid_inputs_are_the_real_400(client, value):
    with pytest.raises(openai.BadRequestError) as err:
        client.embeddings.create(model=SMALL, input=value)
    assert INVALID in err.value.body["message"] and err.value.body["param"] is None


def test_too_many_inputs(client):
    client.embeddings.create(model=SMALL, input=["x"] * 2048)  # the limit itself is fine
    with pytest.raises(openai.BadRequestError, match="array length must be 2048 or less"):
        client.embeddings.create(model=SMALL, input=["x"] * 2049)


def test_input_over_8192_tokens(client):
    client.embeddings.create(model=SMALL, input="a " * 8191)
    with pytest.raises(openai.BadRequestError, match="maximum context length is 8192 tokens"):
        client.embeddings.create(model=SMALL, input="a " * 8192)


def test_over_300k_tokens_per_request(client):
    with pytest.raises(openai.BadRequestError) as err:
        client.embeddings.create(model=SMALL, input=["a " * 8000] * 40)
    assert err.value.code == "max_tokens_per_request"
    assert "max 300000 tokens per request" in err.value.body["message"]


@pytest.mark.parametrize("dimensions", [0, 1537, -3])
def test_dimensions_out_of_range(client, dimensions):
    with pytest.raises(openai.BadRequestError) as err:
        client.embeddings.create(model=SMALL, input="x", dimensions=dimensions)
    assert err.value.param == "dimensions"
    client.embeddings.create(model=LARGE, input="x", dimensions=3072)


def test_other_bad_fields(client):
    with pytest.raises(openai.BadRequestError, match="encoding_format"):
        client.embeddings.create(model=SMALL, input="x", extra_body={"encoding_format": "int8"})
    with pytest.raises(openai.BadRequestError, match="Unrecognized request argument"):
        client.embeddings.create(model=SMALL, input="x", extra_body={"temperature": 0})


def test_model_errors(client):
    with pytest.raises(openai.PermissionDeniedError, match="not allowed to generate embeddings"):
        client.embeddings.create(model=CHAT, input="x")
    with pytest.raises(openai.NotFoundError):
        client.embeddings.create(model="text-embedding-9", input="x")
    with pytest.raises(openai.NotFoundError, match="not a chat model") as err:
        client.chat.completions.create(model=SMALL, messages=[{"role": "user", "content": "hi"}])
    assert err.value.param == "model"


def test_listed_and_retrievable_but_not_among_chat_models(client):
    assert {SMALL, LARGE} <= {m.id for m in client.models.list()}
    assert client.models.retrieve(SMALL).id == SMALL
    assert SMALL not in {m.model for m in models.models("openai")}
    assert models.get(SMALL).embedding and not models.get(CHAT).embedding


def test_default_embedding_model(monkeypatch):
    monkeypatch.delenv("OPENAI_EMBEDDING_MODEL", raising=False)
    assert embedding_model() == DEFAULT_EMBEDDING_MODEL == SMALL
    monkeypatch.setenv("OPENAI_EMBEDDING_MODEL", LARGE)
    assert embedding_model() == LARGE


def test_the_embedding_itself():
    assert embeddings.embed("the of and", 8) == [1.0] + [0.0] * 7  # stop words only
    assert embeddings.features("Warranty warranty")["w:warranty"] == 2
    assert embeddings.cosine(embeddings.embed("warranty", 1536),
                             embeddings.embed("warranties", 1536)) > 0.2  # shared trigrams
