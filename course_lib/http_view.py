"""Show an HTTP exchange (request and response) as text, with secrets and ids masked.

Works with ``httpx`` objects and with the SDKs' own (``openai`` 3.x sends its requests with
``httpx2``, which has the same API): pass a response and its request is shown too.

    >>> import httpx
    >>> request = httpx.Request("POST", "https://api.example.com/v1/chat/completions",
    ...                         headers={"Authorization": "Bearer offline-key"}, json={"a": 1})
    >>> print(show_exchange(request))
    POST https://api.example.com/v1/chat/completions
    authorization: Bearer offl…
    content-type: application/json
    <BLANKLINE>
    {
      "a": 1
    }

``sdk_fields(response)`` lists every field of an SDK response object, as the installed SDK
defines it, with the SDK's own one-line description (see its docstring).

What is hidden: the value of every credential header (``authorization``, ``x-api-key``, ...)
is cut to its first four characters; request-id headers and body fields named ``id`` or
``created`` keep only their prefix (``chatcmpl-…``), because they change on every call.
"""

from __future__ import annotations

import ast
import fnmatch
import inspect
import itertools
import json
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

SECRET_HEADERS = {"authorization", "proxy-authorization", "x-api-key", "api-key", "cookie",
                  "set-cookie", "openai-organization", "openai-project"}
ID_HEADERS = {"x-request-id", "request-id", "cf-ray", "x-client-request-id"}
REQUEST_HEADERS = ("authorization", "x-api-key", "content-type")
RESPONSE_HEADERS = ("content-type",)
HIDDEN_FIELDS = ("id", "created")


def mask_secret(value: str, keep: int = 4) -> str:
    """``"Bearer sk-abc…"`` style: the scheme word, then ``keep`` characters and an ellipsis.

    >>> mask_secret("Bearer offline-stand-in")
    'Bearer offl…'
    """
    scheme, _, token = value.partition(" ") if " " in value else ("", "", value)
    shown = token[:keep] + "…" if len(token) > keep * 2 else "…"
    return f"{scheme} {shown}" if scheme else shown


def _prefix_only(value: Any) -> str:
    """``chatcmpl-AbC123`` -> ``chatcmpl-…``; ``1764400000`` -> ``…``."""
    text = str(value)
    for sep in ("-", "_"):
        if sep in text:
            return text.split(sep)[0] + sep + "…"
    return "…"


def safe_headers(headers: Mapping[str, str], show: Iterable[str] = ("*",)) -> dict[str, str]:
    """The headers whose names match a pattern in ``show`` (``fnmatch``, lower case), masked."""
    patterns = [p.lower() for p in show]
    out = {}
    for name, value in headers.items():
        low = name.lower()
        if not any(fnmatch.fnmatch(low, p) for p in patterns):
            continue
        if low in SECRET_HEADERS:
            value = mask_secret(value)
        elif low in ID_HEADERS:
            value = _prefix_only(value)
        out[low] = value
    return out


def redact(value: Any, fields: Iterable[str] = HIDDEN_FIELDS, max_string: int | None = None) -> Any:
    """A copy of a JSON value with ``fields`` (at any depth) cut to their prefix.

    >>> redact({"id": "chatcmpl-9x", "choices": [{"index": 0}], "created": 1764400000})
    {'id': 'chatcmpl-…', 'choices': [{'index': 0}], 'created': '…'}
    """
    fields = tuple(fields)
    if isinstance(value, dict):
        # Only scalar values are hidden: a JSON-schema property called "id" stays readable.
        return {k: _prefix_only(v) if k in fields and isinstance(v, str | int) else
                redact(v, fields, max_string) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, fields, max_string) for v in value]
    if isinstance(value, str) and max_string and len(value) > max_string:
        return f"{value[:max_string]}… ({len(value)} characters)"
    return value


def _body(raw: bytes, content_type: str, fields: tuple[str, ...], max_string: int | None) -> str:
    if not raw:
        return ""
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return text
        return json.dumps(redact(data, fields, max_string), indent=2, ensure_ascii=False)
    return text


def _content(message: Any) -> bytes | None:
    try:
        return message.content  # raises when a streamed body was not read
    except Exception:  # httpx and httpx2 have their own ResponseNotRead classes
        return None


@dataclass(frozen=True)
class Exchange:
    """A request and (optionally) its response, printable as text."""

    request: Any
    response: Any = None
    request_headers: tuple[str, ...] = REQUEST_HEADERS
    response_headers: tuple[str, ...] = RESPONSE_HEADERS
    hide_fields: tuple[str, ...] = HIDDEN_FIELDS
    max_string: int | None = 400

    def _part(self, first_line: str, message: Any, show: tuple[str, ...]) -> list[str]:
        headers = safe_headers(message.headers, show)
        lines = [first_line, *(f"{k}: {v}" for k, v in headers.items())]
        raw = _content(message)
        if raw is None:
            return [*lines, "", "(streamed body: not read here)"]
        body = _body(raw, message.headers.get("content-type", ""), self.hide_fields, self.max_string)
        return [*lines, "", body] if body else lines

    def text(self) -> str:
        r = self.request
        lines = self._part(f"{r.method} {r.url}", r, self.request_headers)
        if self.response is not None:
            s = self.response
            version = getattr(s, "http_version", "HTTP/1.1")
            status = f"{version} {s.status_code} {getattr(s, 'reason_phrase', '')}".rstrip()
            lines += ["", "─" * 40, *self._part(status, s, self.response_headers)]
        return "\n".join(lines)

    __str__ = text

    def __repr__(self) -> str:
        return self.text()


def show_exchange(
    request_or_response: Any,
    response: Any = None,
    *,
    request_headers: Iterable[str] = REQUEST_HEADERS,
    response_headers: Iterable[str] = RESPONSE_HEADERS,
    hide_fields: Iterable[str] = HIDDEN_FIELDS,
    max_string: int | None = 400,
) -> Exchange:
    """Request and response as readable text (credentials masked, ids cut to their prefix).

    Pass a response (its ``.request`` is shown too), a request, or both. Header lists are
    ``fnmatch`` patterns, e.g. ``response_headers=("content-type", "x-ratelimit-*")``.
    Strings longer than ``max_string`` characters are shortened (None: never).
    """
    if response is None and hasattr(request_or_response, "status_code"):
        request, response = request_or_response.request, request_or_response
    else:
        request = request_or_response
    return Exchange(request, response, tuple(request_headers), tuple(response_headers),
                    tuple(hide_fields), max_string)


# ---------------------------------------------------------------------------------------
# The fields of an SDK response object, from the installed SDK's own types.


def _first_sentence(doc: str) -> str:
    """The first sentence of a docstring's first paragraph, without markdown links."""
    paragraph = inspect.cleandoc(doc).split("\n\n")[0]
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", " ".join(paragraph.split()))
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


@cache
def field_docs(model_type: type) -> dict[str, str]:
    """``{field: first sentence of its docstring}`` for an SDK model class and its bases.

    The openai and anthropic SDKs document a field with a string literal under it; pydantic
    does not keep those strings, so they are read from the class's source (``{}`` when the
    source is not available).
    """
    docs: dict[str, str] = {}
    for cls in reversed(model_type.__mro__):
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
        except (OSError, TypeError, SyntaxError):
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for node, after in itertools.pairwise(body):
            if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                    and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)):
                docs[node.target.id] = _first_sentence(after.value.value)
    return docs


def _is_model(value: Any) -> bool:
    return hasattr(type(value), "model_fields") and not isinstance(value, type)


def sdk_fields(obj: Any, prefix: str = "") -> list[dict[str, Any]]:
    """One row per field of an SDK response object and of the objects nested in it.

    Each row has ``field`` (a path like ``choices[0].message.role``), ``sent`` (was it in
    the JSON the server sent? pydantic's ``model_fields_set``), ``value`` and ``doc`` (the
    SDK's description, first sentence). Every field the installed SDK's type defines is
    listed, also those the server left out (their value is the SDK's default, mostly None);
    fields the server sent that this SDK version does not know come last (``model_extra``).
    Nested objects are opened; of a list of objects, only the first item.

    >>> from openai.types import CompletionUsage
    >>> rows = sdk_fields(CompletionUsage(prompt_tokens=3, completion_tokens=2, total_tokens=5))
    >>> [(r["field"], r["value"], r["sent"]) for r in rows][:2]
    [('completion_tokens', 2, True), ('prompt_tokens', 3, True)]
    >>> rows[1]["doc"]
    'Number of tokens in the prompt.'
    """
    rows: list[dict[str, Any]] = []
    docs = field_docs(type(obj))
    for name in type(obj).model_fields:
        value, path = getattr(obj, name), prefix + name
        row = {"field": path, "sent": name in obj.model_fields_set, "value": value,
               "doc": docs.get(name, "")}
        if _is_model(value):
            rows += [{**row, "value": "{…}"}, *sdk_fields(value, path + ".")]
        elif isinstance(value, list) and value and _is_model(value[0]):
            items = f"[{len(value)} item{'s' if len(value) > 1 else ''}]"
            rows += [{**row, "value": items}, *sdk_fields(value[0], path + "[0].")]
        else:
            rows.append(row)
    for name, value in (getattr(obj, "model_extra", None) or {}).items():
        rows.append({"field": prefix + name, "sent": True, "value": value,
                     "doc": "(not in this SDK version's type: read it from model_extra, or upgrade)"})
    return rows
