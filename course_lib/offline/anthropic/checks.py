"""The 400s and 404s of ``POST /v1/messages`` (and ``count_tokens``), worded like the real API's.

Anthropic names the bad field at the start of the message (``max_tokens: Field required``)
rather than in a ``param`` field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


MODEL_LINES = ("haiku", "sonnet", "opus", "fable", "mythos")  # SDK types/model_line.py
LIFECYCLES = ("active", "deprecated", "retired")  # SDK types/model_info.py


def catalogue() -> list[models.ModelInfo]:
    """Every Anthropic row, newest release first, then table order (``GET /v1/models``:
    "More recently released models are listed first", SDK docstring). Retired rows included:
    the SDK says a retired model "remains in the catalogue as the historical record of its
    retirement"; the list shows it only when ``lifecycle`` asks for ``retired``."""
    rows = [m for m in models.table() if m.provider == "anthropic"]
    return sorted(rows, key=lambda m: -(m.released.toordinal() if m.released else 0))


def catalogue_entry(name: str) -> models.ModelInfo:
    """``GET /v1/models/{id}``: unknown ids are 404 ``not_found_error``. A retired model is
    still described (with ``lifecycle: "retired"``); only requests naming it fail."""
    info = models.find(name, "anthropic")
    if info is None:
        raise ApiError(404, f"model: {name}")
    return info


@dataclass
class ModelPage:
    limit: int
    after_id: str | None
    before_id: str | None
    lifecycle: tuple[str, ...]


def model_page(query: Any) -> ModelPage:
    """The query of ``GET /v1/models``. The bounds are the SDK's ("Defaults to `20`. Ranges from
    `1` to `1000`."); the wording of the 400s is pydantic's, as elsewhere in the real API's
    validation messages (medium confidence on the exact text)."""

    def one(name: str) -> str | None:
        values = query.get(name) or []
        return values[-1] if values else None

    raw = one("limit")
    limit = 20
    if raw is not None:
        try:
            limit = int(raw)
        except ValueError:
            raise bad(
                "limit: Input should be a valid integer, unable to parse string as an integer"
            ) from None
        if limit < 1:
            raise bad("limit: Input should be greater than or equal to 1")
        if limit > 1000:
            raise bad("limit: Input should be less than or equal to 1000")
    stages = [*(query.get("lifecycle[]") or []), *(query.get("lifecycle") or [])]
    for i, stage in enumerate(stages):
        if stage not in LIFECYCLES:
            raise bad(f"lifecycle.{i}: Input should be 'active', 'deprecated' or 'retired'")
    return ModelPage(
        limit, one("after_id"), one("before_id"), tuple(stages) or ("active", "deprecated")
    )


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
    if "temperature" in body and "top_p" in body:
        # Every Claude model in the table (Haiku 4.5 included) takes one or the other. Quoted
        # from real 400s: aws-samples/bedrock-access-gateway#191 (Haiku 4.5, Oct 2025),
        # langfuse/langfuse#9882 (Sonnet 4.5), Vali-98/ChatterUI#564 (Sonnet 4.6, May 2026),
        # anomalyco/opencode#28930 ("may actually be all anthropic models now"). High confidence.
        raise bad(
            "`temperature` and `top_p` cannot both be specified for this model. Please use only one."
        )
    stops = body.get("stop_sequences")
    if stops is not None and (
        not isinstance(stops, list) or not all(isinstance(s, str) for s in stops)
    ):
        raise bad("stop_sequences: Input should be a valid list of strings")


THINKING_DOCS = "https://docs.claude.com/en/docs/build-with-claude/extended-thinking"
THINKING_KINDS = ("enabled", "disabled", "adaptive", "between_tools")  # SDK ThinkingConfigParam
# Which "on" kinds of ``thinking`` each model takes. data/models.csv has no column for this yet,
# so it lives here (tests/test_offline_anthropic_rules.py fails when a row is missing):
# - "enabled" (a budget) is refused by Opus 4.7: '"thinking.type.enabled" is not supported for
#   this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking
#   behavior.' (anomalyco/opencode#22863, freecodexyz/free-code#32, Apr 2026; high).
# - "adaptive" is refused by the 4.5 generation, Haiku 4.5 included: "adaptive thinking is not
#   supported on this model" (diegosouzapw/OmniRoute PR 1563, mnfst/llm-gateway PR 1928 with a
#   live 400, pensarai/apex PR 890; 2026; high). Opus 4.6 / Sonnet 4.6 take both.
THINKING_ON = {
    "claude-haiku-4-5": ("enabled",),
    "claude-sonnet-4-5": ("enabled",),
    "claude-opus-4-5": ("enabled",),
    "claude-sonnet-4-6": ("enabled", "adaptive"),
    "claude-opus-4-6": ("enabled", "adaptive"),
    "claude-opus-4-7": ("adaptive",),
}
# Models that accept ``output_config.effort`` (when the table's reasoning_efforts is empty, as it
# is for every Anthropic row today). Haiku 4.5 refuses it: "This model does not support the
# effort parameter." (vellum-ai/vellum-assistant PR 17994, griffinmartin/opencode-claude-auth#125,
# Oaklight/llm-rosetta PR 289 with a live 400; 2026; high). The docs list Opus 4.5+ and Sonnet
# 4.6 (as cited in llm-rosetta PR 289); Sonnet 4.5 medium confidence. Which levels each model
# takes (max, xhigh) is not enforced: reports disagree over time.
EFFORT_MODELS = ("claude-opus-4-5", "claude-sonnet-4-6", "claude-opus-4-6", "claude-opus-4-7")
EFFORTS = ("low", "medium", "high", "xhigh", "max")  # SDK OutputConfigParam.effort


def thinking(body: dict, info: models.ModelInfo, limit: int | None) -> str:
    """The ``thinking`` kind ("" when not sent), after the rules the real API enforces.

    ``limit`` is ``max_tokens`` (``None`` for count_tokens, which has none).
    """
    config = body.get("thinking")
    if config is None:
        return ""
    kind = config.get("type")
    if kind is None:
        raise bad("thinking: Unable to extract tag using discriminator 'type'")
    if kind not in THINKING_KINDS:
        raise bad(
            "thinking: Input tag '{}' found using 'type' does not match any of the expected tags: "
            "{}".format(kind, ", ".join(f"'{k}'" for k in THINKING_KINDS))
        )
    if kind not in ("enabled", "adaptive"):
        return kind
    if config.get("display") is not None and config["display"] not in ("summarized", "omitted"):
        raise bad(f"thinking.{kind}.display: Input should be 'summarized' or 'omitted'")
    if kind not in THINKING_ON.get(info.model, ("enabled", "adaptive")):
        if kind == "enabled":
            raise bad(
                '"thinking.type.enabled" is not supported for this model. Use '
                '"thinking.type.adaptive" and "output_config.effort" to control thinking behavior.'
            )
        raise bad("adaptive thinking is not supported on this model")
    if kind == "enabled":
        budget = config.get("budget_tokens")
        require(budget, int, "thinking.enabled.budget_tokens")
        # SDK ThinkingConfigEnabledParam: "Must be ≥1024 and less than `max_tokens`."
        # Wording quoted in themaximalist/llm.js#30 (Aug 2026) and tingly-dev/tingly-box PR 569.
        if budget < 1024:
            raise bad(
                "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"
            )
        # Quoted in liuw1535/antigravity2api-nodejs#149 and #150 (Feb 2026), claude-code#8756.
        if limit is not None and limit <= budget:
            raise bad(
                "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our "
                f"documentation at {THINKING_DOCS}#max-tokens-and-context-window-size"
            )
    if limit is None:
        return kind
    choice = body.get("tool_choice") or {}
    if choice.get("type") in ("any", "tool"):
        # mastra-ai/mastra#7507, BerriAI/litellm PR 17129, can1357/oh-my-pi#341; docs: "Thinking
        # isn't compatible with ... forced tool use". High confidence.
        raise bad("Thinking may not be enabled when tool_choice forces tool use.")
    considerations = f"{THINKING_DOCS}#important-considerations-when-using-extended-thinking"
    if body.get("temperature", 1) != 1:
        # 2025 wording "`temperature` may only be set to 1 when thinking is enabled. Please
        # consult our documentation at ..." (MartialBE/one-hub#529); since adaptive thinking
        # "... when thinking is enabled or in adaptive mode" (dotCipher/opencode-claude-bridge
        # PR 1, Mar 2026, verified against the API). Medium confidence on the exact text.
        raise bad(
            "`temperature` may only be set to 1 when thinking is enabled or in adaptive mode."
        )
    if "top_k" in body:
        # quarkiverse/quarkus-langchain4j#1812 (Sep 2025), danny-avila/LibreChat#6023. High.
        raise bad(
            "`top_k` must be unset when thinking is enabled. Please consult our documentation "
            f"at {considerations}"
        )
    if body.get("top_p", 1) < 0.95:
        # The docs allow top_p between 0.95 and 1 with thinking (SEMOSS/Semoss PR 1655, Nov
        # 2025); earlier "top_p must be unset when thinking is enabled." (n8n-io/n8n#14288).
        # The rule is medium confidence, this wording low.
        raise bad(
            "`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled. "
            f"Please consult our documentation at {considerations}"
        )
    return kind


# Models whose thinking ``display`` defaults to "omitted" (an empty thinking text, signature
# only): Opus 4.7 and later, per the docs as quoted in promptfoo/promptfoo PR 10830 and
# AAswordman/Operit PR 568 (2026; medium). Others default to "summarized".
OMITTED_BY_DEFAULT = ("claude-opus-4-7",)


def default_display(info: models.ModelInfo) -> str:
    return "omitted" if info.model in OMITTED_BY_DEFAULT else "summarized"


def thinking_turns(body: dict, kind: str) -> None:
    """Thinking blocks in the history, as the real API wants them (high confidence, wording
    quoted in anomalyco/opencode#3077, Kilo-Org/kilocode#5219 (Opus 4.5, Jan 2026),
    deepset-ai/haystack-core-integrations#2146; and tailcallhq/forgecode#1853 for the reverse).

    With budget thinking on, the last assistant turn, when it called tools, must start with the
    thinking block it came with. (Adaptive thinking may skip thinking, so it is not held to this.)
    With thinking off, a final assistant turn (a prefill) may not contain thinking.
    """
    turns = body["messages"]
    assistant = [i for i, m in enumerate(turns) if m["role"] == "assistant"]
    if not assistant:
        return
    i = assistant[-1]
    blocks = turns[i]["content"] if isinstance(turns[i]["content"], list) else []
    kinds = [b.get("type") for b in blocks]
    if (
        kind == "enabled"
        and "tool_use" in kinds
        and kinds[0] not in ("thinking", "redacted_thinking")
    ):
        raise bad(
            f"messages.{i}.content.0.type: Expected `thinking` or `redacted_thinking`, but found "
            f"`{kinds[0]}`. When `thinking` is enabled, a final `assistant` message must start "
            "with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` "
            "blocks). We recommend you include thinking blocks from previous turns. To avoid "
            "this requirement, disable `thinking`. Please consult our documentation at "
            f"{THINKING_DOCS}"
        )
    if kind not in ("enabled", "adaptive") and i == len(turns) - 1:
        for j, block_kind in enumerate(kinds):
            if block_kind in ("thinking", "redacted_thinking"):
                raise bad(
                    f"messages.{i}.content.{j}: When thinking is disabled, an `assistant` message "
                    "in the final position cannot contain `thinking`. To use thinking blocks, "
                    "enable `thinking` in your request."
                )


def effort(body: dict, info: models.ModelInfo) -> str:
    """``output_config.effort`` ("" when not sent), refused on models without the knob."""
    config = body.get("output_config") or {}
    value = config.get("effort") if isinstance(config, dict) else None
    if value is None:
        return ""
    if value not in EFFORTS:
        raise bad("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'")
    supported = bool(info.reasoning_efforts) or info.model in EFFORT_MODELS
    if not supported:
        raise bad("This model does not support the effort parameter.")
    return value


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
        _content_text(raw, i)
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
        leading = 0
        while leading < len(blocks) and blocks[leading].get("type") == "tool_result":
            leading += 1
        if previous_uses and leading < len(previous_uses):
            # Quoted from a real 400 in Zoo-Code-Org/Zoo-Code PR 1705 (medium-high): a text or
            # image block before the results is refused, even when every id is answered.
            raise bad(
                f"messages.{i}: Did not find {len(previous_uses)} `tool_result` block(s) at the "
                "beginning of this message. Messages following `tool_use` blocks must begin with "
                "a matching number of `tool_result` blocks."
            )
        previous_uses = [b.get("id") for b in blocks if b.get("type") == "tool_use"]
    return raw


def _content_text(raw: list[dict], i: int) -> None:
    """Empty and whitespace-only text, and a prefill that ends in whitespace. Wording quoted in
    real 400s (high confidence): "messages.N: all messages must have non-empty content except
    for the optional final assistant message" (anthropics/claude-code#3196, tidyverse/ellmer#709);
    "messages: text content blocks must be non-empty" (anthropics/claude-code#49171, #59812,
    2026); "... must contain non-whitespace text" (anthropics/claude-code#23369, Feb 2026);
    "messages: final assistant content cannot end with trailing whitespace"
    (crewAIInc/crewAI#4413, tailcallhq/forgecode#1872). That a whitespace-only string is read as
    a text block is medium confidence.
    """
    message = raw[i]
    content = message["content"]
    final_assistant = i == len(raw) - 1 and message["role"] == "assistant"
    texts = (
        [content]
        if isinstance(content, str)
        else [b.get("text", "") for b in content if b.get("type") == "text"]
    )
    if not content and not final_assistant:
        raise bad(
            f"messages.{i}: all messages must have non-empty content except for the optional "
            "final assistant message"
        )
    if isinstance(content, list) and any(t == "" for t in texts):
        raise bad("messages: text content blocks must be non-empty")
    if final_assistant and texts and texts[-1] and texts[-1] != texts[-1].rstrip():
        raise bad("messages: final assistant content cannot end with trailing whitespace")
    if any(t and not t.strip() for t in texts):
        raise bad("messages: text content blocks must contain non-whitespace text")


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
    elif kind == "thinking":
        require(block.get("thinking"), str, f"{where}.thinking")
        require(block.get("signature"), str, f"{where}.signature")
    elif kind == "redacted_thinking":
        require(block.get("data"), str, f"{where}.data")
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
    where = "output_config.format" if config.get("format") is not None else "output_format"
    problem = schemas.problem(fmt["schema"])
    if problem:
        raise bad(f"{where}.schema: JSON schema is invalid: {problem}")
    _closed_objects(fmt["schema"], f"{where}.schema")
    return fmt["schema"]


def _closed_objects(root: dict, where: str) -> None:
    """Structured outputs take only closed objects: every object schema says
    ``additionalProperties: false`` (docs: "must be set to `false` for objects", as quoted in
    BerriAI/litellm PR 35811). Wording from real 400s: veryfront/veryfront-code#3918 (Aug 2026),
    ax-llm/ax#458 (Sonnet 4.5), BerriAI/litellm#35808 for an explicit ``true``. High confidence.
    ``messages.parse(output_format=Model)`` adds it for you (SDK lib/_parse/_transform.py).
    """
    stack = [root]
    while stack:
        schema = stack.pop()
        if not isinstance(schema, dict):
            continue
        kinds = schema.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "object" in kinds or "properties" in schema:
            extra = schema.get("additionalProperties")
            if extra is True or isinstance(extra, dict):
                raise bad(
                    f"{where}: For 'object' type, 'additionalProperties: true' is not supported. "
                    "Please set 'additionalProperties' to false"
                )
            if extra is not False:
                raise bad(
                    f"{where}: For 'object' type, 'additionalProperties' must be explicitly set "
                    "to false"
                )
        for name in schemas.SUBSCHEMA_MAPS:
            stack.extend((schema.get(name) or {}).values())
        for name in schemas.SUBSCHEMA_LISTS:
            stack.extend(schema.get(name) or [])
        if "items" in schema:
            stack.append(schema["items"])


def context(input_tokens: int, limit: int, info: models.ModelInfo) -> None:
    window = info.context_window
    if input_tokens > window:
        raise bad(f"prompt is too long: {input_tokens} tokens > {window} maximum")
    if input_tokens + limit > window:
        raise bad(
            f"input length and `max_tokens` exceed context limit: {input_tokens} + {limit} > {window}, "
            "decrease input length or `max_tokens` and try again"
        )
