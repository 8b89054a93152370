"""What depends on the model: 404s for unknown or shut-down models, the knobs a model rejects
(OpenAI's GPT-5 parameter guide; Anthropic's Claude 4.7 release notes), output limits and the context window, worded like the real API's errors."""

from __future__ import annotations

import json

from course_lib import models
from course_lib.offline.errors import ApiError
from course_lib.offline.openai.checks import bad


def model_info(body: dict) -> models.ModelInfo:
    """The model row, or the real API's 404 for unknown, other-provider and shut-down models."""
    name = body.get("model")
    if not isinstance(name, str) or not name:
        raise bad("you must provide a model parameter", None)
    info = models.find(name, "openai")
    if info is None:
        raise ApiError(
            404,
            f"The model `{name}` does not exist or you do not have access to it.",
            code="model_not_found",
        )
    if info.retired:
        raise ApiError(
            404,
            f"The model `{name}` has been deprecated, learn more here: "
            f"https://platform.openai.com/docs/deprecations (it was shut down on "
            f"{info.shutdown}; choose a current model from data/models.csv).",
            code="model_not_found",
        )
    return info


def unsupported(name: str) -> ApiError:
    return bad(
        f"Unsupported parameter: '{name}' is not supported with this model.",
        name,
        "unsupported_parameter",
    )


def effort(body: dict, info: models.ModelInfo) -> str:
    """The reasoning effort this request runs with ("" for a model that does not reason).

    An effort the model does not accept is the real API's 400 (facts.md §11: GPT-5.1+ take
    none/low/medium/high[/xhigh]; "minimal" only the first GPT-5 generation).
    """
    sent = body.get("reasoning_effort")
    if sent is None:
        return info.default_effort
    if not info.reasoning_efforts:
        raise unsupported("reasoning_effort")
    if sent not in info.reasoning_efforts:
        *first, last = [f"'{e}'" for e in info.reasoning_efforts]
        allowed = f"{', '.join(first)}, and {last}" if first else last
        raise bad(
            f"Unsupported value: 'reasoning_effort' does not support {json.dumps(sent)} with this "
            f"model. Supported values are: {allowed}.",
            "reasoning_effort",
            "unsupported_value",
        )
    return sent


def model_limits(body: dict, info: models.ModelInfo) -> None:
    """Parameters this model rejects, from its row in data/models.csv (facts.md §11, §13).

    - ``max_tokens``: the whole GPT-5 family wants ``max_completion_tokens``;
    - ``stop``: reasoning models (o3, o4-mini, the GPT-5 family) reject it;
    - ``temperature`` (other than 1), ``top_p``, ``logprobs``: rejected by models that never
      accept them, and by GPT-5.1+ whenever ``reasoning_effort`` is not "none".
    """
    if not info.max_tokens and body.get("max_tokens") is not None:
        raise bad(
            "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
            "'max_completion_tokens' instead.",
            "max_tokens",
            "unsupported_parameter",
        )
    if not info.stop and body.get("stop") is not None:
        raise unsupported("stop")
    reasoning = effort(body, info) not in ("", "none")
    temperature = body.get("temperature")
    if (reasoning or not info.temperature) and temperature is not None and temperature != 1:
        raise bad(
            f"Unsupported value: 'temperature' does not support {json.dumps(temperature)} with this "
            "model. Only the default (1) value is supported.",
            "temperature",
            "unsupported_value",
        )
    if (reasoning or not info.top_p) and body.get("top_p") is not None:
        raise unsupported("top_p")
    if (reasoning or not info.logprobs) and body.get("logprobs"):
        raise unsupported("logprobs")
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    if limit is not None and limit > info.max_output:
        name = "max_completion_tokens" if body.get("max_completion_tokens") else "max_tokens"
        raise bad(
            f"{name} is too large: {limit}. This model supports at most {info.max_output} "
            f"completion tokens, whereas you provided {limit}.",
            name,
            "invalid_value",
        )


def context(prompt_tokens: int, body: dict, info: models.ModelInfo) -> None:
    """The prompt must fit the model's input cap, and prompt plus completion its window."""
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    window = info.context_window
    if info.max_input < window and prompt_tokens > info.max_input:
        # The GPT-5 family's 400K window is 272K input + 128K output (facts.md §13; the
        # wording is quoted from users' logs, the code is assumed to be the window's own).
        raise bad(
            f"Input tokens exceed the configured limit of {info.max_input} tokens. Your messages "
            f"resulted in {prompt_tokens} tokens. Please reduce the length of the messages.",
            "messages",
            "context_length_exceeded",
        )
    if limit and prompt_tokens + limit > window:
        raise bad(
            f"This model's maximum context length is {window} tokens. However, you requested "
            f"{prompt_tokens + limit} tokens ({prompt_tokens} in the messages, {limit} in the "
            "completion). Please reduce the length of the messages or completion.",
            "messages",
            "context_length_exceeded",
        )
    if prompt_tokens > window:
        raise bad(
            f"This model's maximum context length is {window} tokens. However, your messages "
            f"resulted in {prompt_tokens} tokens. Please reduce the length of the messages.",
            "messages",
            "context_length_exceeded",
        )
