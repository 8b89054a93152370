"""Model lifecycle: the ids the course depends on are not retired on the pinned date, and the
stand-in answers a shut-down model with the real 404 of each provider.

`make check-dates` (scripts/check_dates.py) uses :func:`depended_on` to warn, from the real
date, about those ids within 60 days of their shutdown.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import anthropic
import openai
import pytest

from course_lib import config, models
from course_lib.clients import OFFLINE_KEY
from course_lib.today import checked_on, today

ROOT = Path(__file__).resolve().parent.parent


def depended_on() -> dict[str, list[str]]:
    """Every table model id a default or a notebook's code names, with where it is named."""
    used: dict[str, list[str]] = {}
    for provider, model in config.DEFAULT_MODELS.items():
        used.setdefault(model, []).append(f"config.DEFAULT_MODELS[{provider!r}]")
    used.setdefault(config.DEFAULT_EMBEDDING_MODEL, []).append("config.DEFAULT_EMBEDDING_MODEL")
    quoted = re.compile(r"""["']([a-z0-9.\-]+)["']""")
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for name in quoted.findall("".join(cell["source"])):
                info = models.find(name)
                if info is not None:
                    used.setdefault(info.model, []).append(str(path.relative_to(ROOT)))
    return used


def test_tests_run_on_the_day_the_table_was_checked():
    assert today() == checked_on(), "make test pins COURSE_TODAY to data/models_checked.txt"


def test_no_model_the_course_depends_on_is_retired_on_the_pinned_date():
    retired = {m: where for m, where in depended_on().items()
               if models.get(m).status_on(checked_on()) == "retired"}
    assert not retired, f"retired models still used: {retired} — pick a current one"


def test_the_defaults_are_current_with_no_shutdown_announced():
    for model in config.DEFAULT_MODELS.values():
        assert models.get(model).status_on(checked_on()) == "current"


def test_status_follows_the_shutdown_date():
    sonnet = models.get("claude-sonnet-4-5")  # shut down 2026-11-30 (anthropic SDK 2.14 table)
    assert sonnet.status_on(dt.date(2026, 11, 29)) == "deprecated"
    assert sonnet.status_on(dt.date(2026, 11, 30)) == "retired"
    assert sonnet.days_left(dt.date(2026, 11, 20)) == 10
    assert models.get("gpt-5.4-mini").status_on(dt.date(2030, 1, 1)) == "current"
    assert models.get("gpt-5.4-mini").days_left() is None


def test_listing_follows_the_pinned_date(monkeypatch):
    names = lambda: {m.model for m in models.models("anthropic")}  # noqa: E731
    assert "claude-sonnet-4-5" not in names()
    monkeypatch.setenv("COURSE_TODAY", "2026-11-01")
    assert "claude-sonnet-4-5" in names()


def test_bad_course_today_says_how_to_write_it(monkeypatch):
    monkeypatch.setenv("COURSE_TODAY", "3 December")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        today()


def test_a_retired_openai_model_is_a_404_model_not_found(url):
    client = openai.OpenAI(base_url=f"{url}/v1", api_key=OFFLINE_KEY, max_retries=0)
    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.create(model="o4-mini", max_completion_tokens=5,
                                       messages=[{"role": "user", "content": "hi"}])
    assert err.value.code == "model_not_found"
    assert "2026-10-23" in err.value.body["message"]


@pytest.mark.filterwarnings("ignore:The model 'claude-sonnet-4-5' is deprecated")
def test_a_model_is_served_until_its_shutdown_date(url, monkeypatch):
    client = anthropic.Anthropic(base_url=url, api_key=OFFLINE_KEY, max_retries=0)
    ask = dict(model="claude-sonnet-4-5", max_tokens=5, messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(anthropic.NotFoundError) as err:
        client.messages.create(**ask)
    assert err.value.body["error"]["type"] == "not_found_error"
    monkeypatch.setenv("COURSE_TODAY", "2026-11-29")  # the stand-in runs in this process
    assert client.messages.create(**ask).stop_reason in {"end_turn", "max_tokens"}
