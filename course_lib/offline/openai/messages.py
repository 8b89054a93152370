"""The ``messages`` of a chat request: their checks, and their provider-neutral form.

Roles, content types, and the tool-call pairing rule: an assistant message with ``tool_calls``
must be followed by one ``tool`` message per call id, and every ``tool`` message must answer one.
"""

from __future__ import annotations

import json

from course_lib import tokens
from course_lib.offline.openai.checks import ROLES, _kind, bad, expect, require
from course_lib.model.types import Message, ToolCall


def check(body: dict) -> None:
    """Raise the real API's 400 for the first problem in ``body["messages"]``."""
    messages = body.get("messages")
    if messages is None:
        raise bad(
            "Missing required parameter: 'messages'.", "messages", "missing_required_parameter"
        )
    if not isinstance(messages, list):
        raise bad(
            f"Invalid type for 'messages': expected an array, but got {_kind(messages)} instead.",
            "messages",
            "invalid_type",
        )
    if not messages:
        raise bad(
            "Invalid 'messages': empty array. Expected an array with minimum length 1, but got "
            "an empty array instead.",
            "messages",
            "empty_array",
        )
    pending: list[str] = []  # tool_call ids still waiting for their tool message
    answered: set[str] = set()
    for i, message in enumerate(messages):
        where = f"messages[{i}]"
        if not isinstance(message, dict):
            raise bad(
                f"Invalid type for '{where}': expected an object, but got {_kind(message)} instead.",
                where,
                "invalid_type",
            )
        role = message.get("role")
        if role not in ROLES:
            raise bad(
                f"Invalid value: {json.dumps(role)}. Supported values are: 'system', 'assistant', "
                "'user', 'function', 'tool', and 'developer'.",
                f"{where}.role",
                "invalid_value",
            )
        content = message.get("content")
        if not (content is None or isinstance(content, str | list)):
            raise bad(
                f"Invalid type for '{where}.content': expected one of a string or array of objects, "
                f"but got {_kind(content)} instead.",
                f"{where}.content",
                "invalid_type",
            )
        for j, part in enumerate(content if isinstance(content, list) else []):
            expect(part, (dict,), f"{where}.content[{j}]")
            require(part.get("type"), (str,), f"{where}.content[{j}].type")
            if part["type"] == "text" or "text" in part:  # tokens.text_of reads any "text"
                require(part.get("text"), (str,), f"{where}.content[{j}].text")
        for field in ("name", "tool_call_id"):
            if message.get(field) is not None:
                expect(message[field], (str,), f"{where}.{field}")
        calls = message.get("tool_calls")
        if calls is not None:
            expect(calls, (list,), f"{where}.tool_calls")
            for j, call in enumerate(calls):
                at = f"{where}.tool_calls[{j}]"
                expect(call, (dict,), at)
                require(call.get("id"), (str,), f"{at}.id")
                require(call.get("function"), (dict,), f"{at}.function")
                for field in ("name", "arguments"):
                    require(call["function"].get(field), (str,), f"{at}.function.{field}")
        if content is None and role in ("system", "developer", "user", "tool"):
            raise bad(
                f"Missing required parameter: '{where}.content'.",
                f"{where}.content",
                "missing_required_parameter",
            )
        if pending and role != "tool":
            raise bad(
                "An assistant message with 'tool_calls' must be followed by tool messages "
                "responding to each 'tool_call_id'. The following tool_call_ids did not have "
                f"response messages: {', '.join(pending)}",
                f"messages.[{i}].role",
            )
        if role == "tool":
            call_id = message.get("tool_call_id")
            if not isinstance(call_id, str):
                raise bad(
                    f"Missing required parameter: '{where}.tool_call_id'.",
                    f"{where}.tool_call_id",
                    "missing_required_parameter",
                )
            if call_id not in pending and call_id not in answered:
                raise bad(
                    "Invalid parameter: messages with role 'tool' must be a response to a "
                    "preceeding message with 'tool_calls'.",
                    f"messages.[{i}].role",
                )
            if call_id in pending:
                pending.remove(call_id)
                answered.add(call_id)
        if role == "assistant":
            pending = [c["id"] for c in message.get("tool_calls") or []]
            answered = set()
    if pending:
        raise bad(
            "An assistant message with 'tool_calls' must be followed by tool messages responding "
            f"to each 'tool_call_id'. The following tool_call_ids did not have response messages: "
            f"{', '.join(pending)}",
            f"messages.[{len(messages) - 1}].role",
        )


def neutral(raw: list[dict]) -> list[Message]:
    """Provider-neutral turns: ``developer`` becomes ``system``; content parts are joined."""
    out = []
    for m in raw:
        role = "system" if m["role"] in ("system", "developer") else m["role"]
        calls = [
            ToolCall(
                c.get("id", ""),
                (c.get("function") or {}).get("name", ""),
                (c.get("function") or {}).get("arguments", ""),
            )
            for c in m.get("tool_calls") or []
            if isinstance(c, dict)
        ]
        out.append(
            Message(
                role if role != "function" else "tool",
                tokens.text_of(m.get("content")),
                tool_calls=calls,
                tool_call_id=m.get("tool_call_id"),
            )
        )
    return out
