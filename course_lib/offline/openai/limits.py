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


def model_limits(body: dict, info: models.ModelInfo) -> None:
    """Parameters the model's row says it rejects (OpenAI's GPT-5 parameter guide; Anthropic's Claude 4.7 release notes)."""
    temperature = body.get("temperature")
    if not info.temperature and temperature is not None and temperature != 1:
        raise bad(
            f"Unsupported value: 'temperature' does not support {json.dumps(temperature)} with this "
            "model. Only the default (1) value is supported.",
            "temperature",
            "unsupported_value",
        )
    if not info.top_p and body.get("top_p") is not None:
        raise bad(
            "Unsupported parameter: 'top_p' is not supported with this model.",
            "top_p",
            "unsupported_parameter",
        )
    if not info.logprobs and body.get("logprobs"):
        raise bad(
            "Unsupported parameter: 'logprobs' is not supported with this model.",
            "logprobs",
            "unsupported_parameter",
        )
    if info.reasoning_default and body.get("max_tokens") is not None:
        raise bad(
            "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
            "'max_completion_tokens' instead.",
            "max_tokens",
            "unsupported_parameter",
        )
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
    """Prompt plus requested completion must fit the model's context window."""
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    window = info.context_window
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
