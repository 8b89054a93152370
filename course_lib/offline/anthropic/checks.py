"""The 400s and 404s of ``POST /v1/messages`` (and ``count_tokens``), worded like the real API's.

Anthropic names the bad field at the start of the message (``max_tokens: Field required``)
rather than in a ``param`` field.
"""

from __future__ import annotations

import re
from typing import Any

from course_lib import models
from course_lib.model import schemas
from course_lib.offline.errors import ApiError

COUNT_FIELDS = {
    "cache_control",
    "messages",
    "model",
    "output_config",
    "speed",
    "system",
    "thinking",
    "tool_choice",
    "tools",
    "user_profile_id",
    "workspace_id",
    "output_format",
}
CREATE_FIELDS = COUNT_FIELDS | {
    "container",
    "diagnostics",
    "inference_geo",
    "max_tokens",
    "metadata",
    "service_tier",
    "stop_sequences",
    "stream",
    "temperature",
    "top_p",
    "top_k",
}
NAME = re.compile(r"^[a-zA-Z0-9_-]{1,128}$")
# The JSON type of optional top-level fields checked here by type alone (null: not given).
# messages, system, max_tokens, the sampling knobs, stop_sequences and tool_choice have their
# own checks below.
FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "cache_control": (dict,),
    "metadata": (dict,),
    "output_config": (dict,),
    "output_format": (dict,),
    "service_tier": (str,),
    "stream": (bool,),
    "thinking": (dict,),
    "tools": (list,),
}
# pydantic's words, which the real API's messages use
TYPE_WORDS = {dict: "dictionary", list: "list", bool: "boolean", str: "string", int: "integer"}


def bad(message: str) -> ApiError:
    return ApiError(400, message)


def expect(value: Any, kind: type, where: str) -> None:
    """``where: Input should be a valid <kind>`` unless ``value`` is one (a bool is no integer)."""
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise bad(f"{where}: Input should be a valid {TYPE_WORDS[kind]}")


def require(value: Any, kind: type, where: str) -> None:
    if value is None:
        raise bad(f"{where}: Field required")
    expect(value, kind, where)


def version(headers: Any) -> None:
    if not headers.get("anthropic-version"):
        raise bad("anthropic-version: header is required")


def model_info(name: Any) -> models.ModelInfo:
    if not isinstance(name, str) or not name:
        raise bad("model: Field required")
    info = models.find(name, "anthropic")
    if info is None:
        raise ApiError(404, f"model: {name}")
    if info.retired:
        raise ApiError(
            404,
            f"model: {name} (this model was retired on {info.shutdown}; choose a "
            "current model from data/models.csv)",
        )
    return info


def fields(body: dict, allowed: set[str]) -> None:
    for name in body:
        if name not in allowed:
            raise bad(f"{name}: Extra inputs are not permitted")
    for name, (kind,) in FIELD_TYPES.items():
        if body.get(name) is not None:
            expect(body[name], kind, name)
    metadata = body.get("metadata") or {}
    if metadata.get("user_id") is not None:
        expect(metadata["user_id"], str, "metadata.user_id")
    system = body.get("system")
    if system is not None and not isinstance(system, str | list):
        raise bad("system: Input should be a valid string or a list of text blocks")
    for i, block in enumerate(system if isinstance(system, list) else []):
        expect(block, dict, f"system.{i}")
        if block.get("type") != "text":
            raise bad(f"system.{i}.type: Input should be 'text'")
        require(block.get("text"), str, f"system.{i}.text")


def max_tokens(body: dict, info: models.ModelInfo) -> int:
    value = body.get("max_tokens")
    if value is None:
        raise bad("max_tokens: Field required")
    if not isinstance(value, int) or isinstance(value, bool):
        raise bad("max_tokens: Input should be a valid integer")
    if value < 1:
        raise bad("max_tokens: Input should be greater than or equal to 1")
    if value > info.max_output:
        raise bad(
            f"max_tokens: {value} > {info.max_output}, which is the maximum allowed number of "
            f"output tokens for {info.model}"
        )
    return value


def sampling(body: dict, info: models.ModelInfo) -> None:
    """Ranges, and the models that removed the knobs (OpenAI's GPT-5 parameter guide; Anthropic's Claude 4.7 release notes)."""
    for name, hi in (("temperature", 1.0), ("top_p", 1.0), ("top_k", None)):
        if name not in body:
            continue
        value = body[name]  # null is not "not given": the API wants a number or no field
        if name == "top_k":
            expect(value, int, name)
        elif not isinstance(value, int | float) or isinstance(value, bool):
            raise bad(f"{name}: Input should be a valid number")
        if value < 0:
            raise bad(f"{name}: Input should be greater than or equal to 0")
        if hi is not None and value > hi:
            raise bad(f"{name}: Input should be less than or equal to {hi:g}")
        accepts = info.temperature if name != "top_p" else info.top_p
        if not accepts and not (name == "temperature" and value == 1):
            raise bad(f"`{name}` is deprecated for this model.")
    stops = body.get("stop_sequences")
    if stops is not None and (
        not isinstance(stops, list) or not all(isinstance(s, str) for s in stops)
    ):
        raise bad("stop_sequences: Input should be a valid list of strings")


def messages(body: dict) -> list[dict]:
    """Shapes, roles, and tool_use/tool_result pairing."""
    raw = body.get("messages")
    if raw is None:
        raise bad("messages: Field required")
    if not isinstance(raw, list):
        raise bad("messages: Input should be a valid list")
    if not raw:
        raise bad("messages: at least one message is required")
    previous_uses: list[str] = []
    for i, message in enumerate(raw):
        if not isinstance(message, dict):
            raise bad(f"messages.{i}: Input should be a valid dictionary")
        if message.get("role") not in ("user", "assistant"):
            raise bad(f"messages.{i}.role: Input should be 'user' or 'assistant'")
        content = message.get("content")
        if content is None:
            raise bad(f"messages.{i}.content: Field required")
        if not isinstance(content, str | list) or (
            isinstance(content, list) and not all(isinstance(b, dict) for b in content)
        ):
            raise bad(
                f"messages.{i}.content: Input should be a valid string or a list of content blocks"
            )
        blocks = content if isinstance(content, list) else []
        for j, block in enumerate(blocks):
            _block(block, f"messages.{i}.content.{j}")
        results = [b.get("tool_use_id") for b in blocks if b.get("type") == "tool_result"]
        for j, block in enumerate(blocks):
            if block.get("type") == "tool_result" and block.get("tool_use_id") not in previous_uses:
                raise bad(
                    f"messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` blocks: "
                    f"{block.get('tool_use_id')}. Each `tool_result` block must have a corresponding "
                    "`tool_use` block in the previous message."
                )
        missing = [u for u in previous_uses if u not in results]
        if missing:
            raise bad(
                f"messages.{i - 1}: `tool_use` ids were found without `tool_result` blocks immediately "
                f"after: {', '.join(missing)}. Each `tool_use` block must have a corresponding "
                "`tool_result` block in the next message."
            )
        previous_uses = [b.get("id") for b in blocks if b.get("type") == "tool_use"]
    return raw


def _block(block: dict, where: str) -> None:
    """The fields of a content block that the stand-in reads."""
    kind = block.get("type")
    require(kind, str, f"{where}.type")
    if kind == "text":
        require(block.get("text"), str, f"{where}.text")
    elif kind == "tool_use":
        require(block.get("id"), str, f"{where}.id")
        require(block.get("name"), str, f"{where}.name")
        require(block.get("input"), dict, f"{where}.input")
    elif kind == "tool_result":
        require(block.get("tool_use_id"), str, f"{where}.tool_use_id")
        if block.get("is_error") is not None:
            expect(block["is_error"], bool, f"{where}.is_error")
        content = block.get("content")
        if content is not None and not isinstance(content, str | list):
            raise bad(f"{where}.content: Input should be a valid string or a list of blocks")
        for k, inner in enumerate(content if isinstance(content, list) else []):
            expect(inner, dict, f"{where}.content.{k}")
            _block(inner, f"{where}.content.{k}")


def tools(body: dict) -> list[dict]:
    raw = body.get("tools")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise bad("tools: Input should be a valid list")
    for i, tool in enumerate(raw):
        if not isinstance(tool, dict) or tool.get("type", "custom") != "custom":
            raise bad(
                f"tools.{i}: the offline stand-in supports only client tools (name, description, "
                "input_schema), not server tools"
            )
        if not isinstance(tool.get("name"), str) or not NAME.match(tool["name"]):
            raise bad(f"tools.{i}.name: String should match pattern '^[a-zA-Z0-9_-]{{1,128}}$'")
        if not isinstance(tool.get("input_schema"), dict):
            raise bad(f"tools.{i}.input_schema: Field required")
        if tool.get("description") is not None:
            expect(tool["description"], str, f"tools.{i}.description")
        problem = schemas.object_problem(tool["input_schema"])
        if problem:
            raise bad(f"tools.{i}.custom.input_schema: JSON schema is invalid: {problem}")
    return raw


def tool_choice(body: dict, names: list[str]) -> tuple[str, bool]:
    """(choice for the engine, parallel tool calls allowed)."""
    choice = body.get("tool_choice")
    if choice is None:
        return "auto", True
    if not isinstance(choice, dict) or choice.get("type") not in ("auto", "any", "tool", "none"):
        raise bad("tool_choice: Input tag must be one of 'auto', 'any', 'tool', 'none'")
    if choice.get("disable_parallel_tool_use") is not None:
        expect(choice["disable_parallel_tool_use"], bool, "tool_choice.disable_parallel_tool_use")
    parallel = not choice.get("disable_parallel_tool_use", False)
    kind = choice["type"]
    if kind == "tool":
        name = choice.get("name")
        require(name, str, "tool_choice.name")
        if name not in names:
            raise bad(f"tool_choice.name: tool '{name}' not found in the provided tools")
        return name, parallel
    return {"any": "required"}.get(kind, kind), parallel


def output_schema(body: dict) -> dict | None:
    """The JSON schema from ``output_config.format`` (or the older top-level ``output_format``)."""
    config = body.get("output_config") or {}
    if not isinstance(config, dict):
        raise bad("output_config: Input should be a valid dictionary")
    fmt = config.get("format") if config.get("format") is not None else body.get("output_format")
    if fmt is None:
        return None
    if (
        not isinstance(fmt, dict)
        or fmt.get("type") != "json_schema"
        or not isinstance(fmt.get("schema"), dict)
    ):
        raise bad('output_config.format: expected {"type": "json_schema", "schema": {...}}')
    problem = schemas.problem(fmt["schema"])
    if problem:
        raise bad(f"output_config.format.schema: JSON schema is invalid: {problem}")
    return fmt["schema"]


def context(input_tokens: int, limit: int, info: models.ModelInfo) -> None:
    window = info.context_window
    if input_tokens > window:
        raise bad(f"prompt is too long: {input_tokens} tokens > {window} maximum")
    if input_tokens + limit > window:
        raise bad(
            f"input length and `max_tokens` exceed context limit: {input_tokens} + {limit} > {window}, "
            "decrease input length or `max_tokens` and try again"
        )
