"""course_lib.setup_check: every diagnosis on fake environments, and never a key in the output.

Fake keys are assembled at run time ("sk-" + "proj-" + ...) so this file holds no key shape.
"""

import json

import httpx2
import openai
import pytest

from course_lib import setup_check as sc

BODY = "Q7w" + "Er4tY8uI2oP6aS1dF5gH9jK3lZ0xC" * 6  # random-looking, no placeholder words
OPENAI_KEY = "sk-" + "proj-" + BODY
ANTHROPIC_KEY = "sk-" + "ant-api03-" + BODY[:95]
SECRET_PART = BODY[20:40]  # a piece of every fake key that must never be printed


def run(env, **kw):
    kw.setdefault("dotenv_path", None)
    findings = sc.diagnose(env, start=kw.pop("start", "."), **kw)
    text = sc.format_findings(findings)
    assert SECRET_PART not in text and SECRET_PART not in repr(findings)
    return findings


def topics(findings, level):
    return [(f.topic, f.message) for f in findings if f.level == level]


def test_a_good_setup_has_no_errors_or_warnings():
    findings = run({"OPENAI_API_KEY": OPENAI_KEY, "ANTHROPIC_API_KEY": ANTHROPIC_KEY})
    assert not topics(findings, "error") and not topics(findings, "warning")
    ok = " ".join(m for _, m in topics(findings, "ok"))
    assert "OpenAI project key (sk-proj-…)" in ok and f"{len(OPENAI_KEY)} characters" in ok
    assert "Anthropic key (sk-ant-…)" in ok


def test_no_key_is_only_a_note_about_the_stand_in():
    findings = run({})
    assert not topics(findings, "error")
    assert any("offline stand-in" in m for _, m in topics(findings, "info"))


@pytest.mark.parametrize("name", ["OPENAI_KEY", "OPENAI_APIKEY", "OPEN_AI_API_KEY", "openai_api_key"])
def test_wrong_variable_names(name):
    errors = topics(run({name: OPENAI_KEY}), "error")
    assert errors and errors[0][0] == "OPENAI_API_KEY" and name in errors[0][1]
    if name == "openai_api_key":
        assert "case-sensitive" in errors[0][1]


def test_claude_key_name_is_flagged_for_anthropic():
    errors = topics(run({"CLAUDE_API_KEY": ANTHROPIC_KEY}), "error")
    assert errors[0][0] == "ANTHROPIC_API_KEY" and "CLAUDE_API_KEY" in errors[0][1]


def test_model_variable_is_not_a_lookalike_key():
    findings = run({"OPENAI_MODEL": "gpt-5.4-mini", "OPENAI_BASE_URL": "http://x"})
    assert not topics(findings, "error")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (f'"{OPENAI_KEY}"', "quotes"),
        (f"{OPENAI_KEY}\n", "line break"),
        (f" {OPENAI_KEY}", "spaces"),
        (f"“{OPENAI_KEY}”", "quotes"),  # curly quotes: caught as quotes or non-ASCII
        (f"Bearer {OPENAI_KEY}", "Bearer"),
        (f"OPENAI_API_KEY={OPENAI_KEY}", "whole line"),
        (OPENAI_KEY[:30], "cut off"),
        ("sk-your-key-here", "placeholder"),
        (ANTHROPIC_KEY, "Anthropic key"),
        ("offline-stand-in", "stand-in"),
        ("sk-" + "admin-" + BODY, "admin"),
        (BODY, "does not start with sk-"),
    ],
)
def test_key_shape_problems(value, words):
    errors = topics(run({"OPENAI_API_KEY": value}), "error")
    assert errors, value[:5]
    message = errors[0][1]
    assert words.lower() in message.lower() or (words == "quotes" and "non-ASCII" in message)


def test_openai_key_in_the_anthropic_variable():
    errors = topics(run({"ANTHROPIC_API_KEY": OPENAI_KEY}), "error")
    assert errors[0][0] == "ANTHROPIC_API_KEY" and "OpenAI key" in errors[0][1]


def test_describe_key_shows_kind_and_length_only():
    text = sc.describe_key(OPENAI_KEY)
    assert text == f"an OpenAI project key (sk-proj-…), {len(OPENAI_KEY)} characters"
    assert sc.describe_key("abc") == "not a known key shape, 3 characters"


def test_dotenv_found_and_ignored(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text(".venv/\n.env\n")
    (tmp_path / ".env").write_text(f"OPENAI_API_KEY={OPENAI_KEY}\nOPENAI_MODEL=\n")
    lesson = tmp_path / "notebooks" / "b-openai-api"
    lesson.mkdir(parents=True)
    findings = run({}, dotenv_path="auto", start=lesson)
    assert (findings[0].level, findings[0].topic) == ("ok", ".env")
    assert "../../.env" in findings[0].message and "OPENAI_API_KEY" in findings[0].message
    assert str(tmp_path) not in sc.format_findings(findings)  # no home folder or user name
    assert not topics(findings, "error") and not topics(findings, "warning")


def test_dotenv_not_git_ignored(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text(".venv/\n")
    (tmp_path / ".env").write_text("OPENAI_MODEL=gpt-5.4-mini\n")
    errors = topics(run({}, dotenv_path="auto", start=tmp_path), "error")
    assert errors == [(".env", errors[0][1])] and "not ignored" in errors[0][1]


def test_missing_dotenv_and_a_key_typed_into_env_example(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".env.example").write_text(f"OPENAI_API_KEY={OPENAI_KEY}\n")
    findings = run({}, dotenv_path="auto", start=tmp_path)
    assert findings[0].level == "info" and "no .env" in findings[0].message
    assert any("IS committed" in m for _, m in topics(findings, "error"))


def test_notepad_saved_env_txt(tmp_path):
    (tmp_path / ".env.example").write_text("OPENAI_API_KEY=\n")
    (tmp_path / ".env.txt").write_text(f"OPENAI_API_KEY={OPENAI_KEY}\n")
    errors = topics(run({}, dotenv_path="auto", start=tmp_path), "error")
    assert any(".env.txt" in m for _, m in errors)


def test_empty_line_in_dotenv_is_explained(tmp_path):
    path = tmp_path / ".env"
    path.write_text("OPENAI_API_KEY=\n")
    info = topics(run({}, dotenv_path=path, start=tmp_path), "info")
    assert any("line is there but empty" in m for _, m in info)


def test_shell_variable_overrides_dotenv(tmp_path):
    path = tmp_path / ".env"
    path.write_text(f"OPENAI_API_KEY={OPENAI_KEY}\n")
    other = "sk-" + "proj-" + BODY[::-1]
    warnings = topics(run({"OPENAI_API_KEY": other}, dotenv_path=path, start=tmp_path), "warning")
    assert any("shell's wins" in m for _, m in warnings)


def test_dotenv_values_are_used_when_the_environment_lacks_them(tmp_path):
    path = tmp_path / ".env"
    path.write_text(f'OPENAI_KEY="{OPENAI_KEY}"\n')
    errors = topics(run({}, dotenv_path=path, start=tmp_path), "error")
    assert errors[0][0] == "OPENAI_API_KEY" and "OPENAI_KEY" in errors[0][1]


def test_models():
    assert topics(run({"OPENAI_MODEL": "gpt-5.4-mini"}), "ok")[-1] == ("OPENAI_MODEL", "gpt-5.4-mini")
    assert "shut down" in topics(run({"OPENAI_MODEL": "o4-mini"}), "error")[0][1]
    assert "2027-01-14" in topics(run({"OPENAI_MODEL": "gpt-4o"}), "warning")[0][1]
    assert "not in data/models.csv" in topics(run({"OPENAI_MODEL": "gpt-5.4-mimi"}), "warning")[0][1]


def test_proxies_never_show_credentials():
    findings = run({"HTTPS_PROXY": "http://alice:hunter2@proxy.corp:3128"})
    text = sc.format_findings(findings)
    assert "proxy.corp:3128" in text and "hunter2" not in text and "alice" not in text
    assert not topics(findings, "warning")  # HTTPS only: the http:// stand-in is not affected


def test_plain_http_proxy_catches_the_stand_in_unless_no_proxy():
    assert topics(run({"http_proxy": "proxy.corp:8080"}), "warning")
    assert not topics(run({"HTTP_PROXY": "proxy.corp:8080", "NO_PROXY": "localhost,127.0.0.1"}), "warning")


def test_course_offline_note():
    assert topics(run({"COURSE_OFFLINE": "1", "OPENAI_API_KEY": OPENAI_KEY}), "info")[0][0] == "COURSE_OFFLINE"


def notebook(cells):
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_scan_finds_keys_in_notebook_code_and_outputs(tmp_path):
    (tmp_path / "a.ipynb").write_text(notebook([
        {"cell_type": "code", "source": ["client = OpenAI()\n"], "outputs": []},
        {"cell_type": "code", "source": [f'key = "{OPENAI_KEY}"\n'], "outputs": []},
        {"cell_type": "code", "source": ["print(os.environ)"],
         "outputs": [{"output_type": "stream", "text": [f"ANTHROPIC: {ANTHROPIC_KEY}"]}]},
    ]))
    (tmp_path / "notes.py").write_text("fake = 'sk-" + "proj-this-is-a-fake-placeholder'\n")
    (tmp_path / ".env").write_text(f"OPENAI_API_KEY={OPENAI_KEY}\n")  # the right place: skipped
    findings = run({}, scan=[tmp_path], start=tmp_path)
    errors = topics(findings, "error")
    assert [m.split(" contains")[0] for _, m in errors] == ["a.ipynb (cell 2 code)", "a.ipynb (cell 3 output)"]
    assert "Anthropic key" in errors[1][1]


def test_scan_finds_the_loaded_key_even_when_it_is_not_key_shaped(tmp_path):
    odd_key = "Q7w" + "Er4tY8uI2oP6aS1dF5g"
    (tmp_path / "x.py").write_text(f"API = '{odd_key}'\n")
    errors = topics(run({"OPENAI_API_KEY": odd_key}, scan=[tmp_path / "x.py"], start=tmp_path), "error")
    assert any(t == "key in code" for t, _ in errors)


# ---------------------------------------------------------------------------------------
# Errors from the server or the network


CLASSES = {401: openai.AuthenticationError, 403: openai.PermissionDeniedError,
           404: openai.NotFoundError, 429: openai.RateLimitError, 500: openai.InternalServerError}


def status_error(status, body):
    """The exception the SDK raises for this status and body (it passes body["error"])."""
    request = httpx2.Request("POST", "https://api.example.com/v1/chat/completions")
    response = httpx2.Response(status, request=request, json=body)
    return CLASSES[status]("message", response=response, body=body["error"])


@pytest.mark.parametrize(
    ("status", "code", "words"),
    [(401, "invalid_api_key", "rejected the key"), (403, None, "not allowed"),
     (404, "model_not_found", "model"), (429, "rate_limit_exceeded", "too many"),
     (429, "insufficient_quota", "no credit"), (500, None, "provider had a problem")],
)
def test_explain_status_errors(status, code, words):
    exc = status_error(status, {"error": {"message": "m", "type": "t", "param": None, "code": code}})
    finding = sc.explain_error(exc)
    assert words in finding.message and finding.fix


def test_explain_connection_errors():
    request = httpx2.Request("GET", "https://api.example.com/v1/models")
    assert "APIConnectionError" in sc.explain_error(openai.APIConnectionError(request=request)).message
    assert "timed out" in sc.explain_error(openai.APITimeoutError(request=request)).message


def test_check_connection_against_the_stand_in(monkeypatch):
    from course_lib import offline

    url = offline.start().url + "/v1"
    good = openai.OpenAI(base_url=url, api_key="offline-stand-in", max_retries=0)
    assert sc.check_connection(good)[0].level == "ok"
    bad = openai.OpenAI(base_url=url, api_key="not-a-real-key", max_retries=0)
    assert "rejected the key" in sc.check_connection(bad)[0].message
    closed = openai.OpenAI(base_url="http://127.0.0.1:9/v1", api_key="offline-x", max_retries=0)
    assert "APIConnectionError" in sc.check_connection(closed)[0].message


def test_docstring_examples():
    import doctest

    assert doctest.testmod(sc).failed == 0


def test_key_variables_and_truthy_values_come_from_the_config():
    from course_lib import config

    assert sc.KEY_VARIABLES is config.KEY_VARIABLES and sc.TRUTHY is config.TRUTHY
    for value in config.TRUTHY:  # a value config accepts as "on", the diagnosis does too
        topics = [f.topic for f in run({"COURSE_OFFLINE": value})]
        assert "COURSE_OFFLINE" in topics


def test_placeholder_words_inside_random_keys_do_not_hide_them():
    from course_lib.setup_check import find_keys

    body = "Ab3hereXy9TESTq7yourZ0kk2mm4nn6pp8qq0rr"  # placeholder words glued into random text
    assert find_keys("OPENAI_API_KEY=sk-" + "proj-" + body)
    assert not find_keys("OPENAI_API_KEY=sk-" + "your-key-here-0123456789abcdef")
