"""course_lib.providers: one record per provider, read by config, clients and setup_check."""

import importlib
import re
import subprocess
import sys

import pytest

from course_lib import clients, config, models, providers, setup_check
from course_lib.providers import ANTHROPIC, OPENAI, PROVIDERS

BODY = "Ab3Xy9q7Z0kk2mm4nn6pp8qq0rr1ss3tt5uu7vv9ww"  # random-looking key characters


def test_records_are_frozen_and_named_uniquely():
    assert [p.name for p in PROVIDERS] == ["openai", "anthropic"]
    with pytest.raises(AttributeError):
        OPENAI.default_model = "x"  # type: ignore[misc]
    assert providers.get("openai") is OPENAI and providers.get("anthropic") is ANTHROPIC


def test_unknown_provider_names_the_known_ones():
    with pytest.raises(ValueError, match=r"Unknown provider 'gemini'; use 'openai' or 'anthropic'\."):
        providers.get("gemini")


def test_config_views_are_built_from_the_records():
    for p in PROVIDERS:
        assert config.DEFAULT_MODELS[p.name] == p.default_model
        assert config.KEY_VARIABLES[p.name] == p.key_variable
        assert config.MODEL_VARIABLES[p.name] == p.model_variable


def test_default_models_are_in_the_model_table_under_their_provider():
    for p in PROVIDERS:
        assert models.get(p.default_model).provider == p.name


def test_sdk_classes_exist():
    for p in PROVIDERS:
        sdk = importlib.import_module(p.sdk)
        assert isinstance(getattr(sdk, p.client_class), type)
        assert isinstance(getattr(sdk, p.async_client_class), type)


def test_every_key_shape_starts_with_its_providers_prefix():
    for p in PROVIDERS:
        assert all(s.prefix.startswith(p.key_prefix) for s in p.key_shapes)


@pytest.mark.parametrize(
    ("value", "owner", "description"),
    [
        ("sk-ant-api03-" + BODY, "anthropic", "an Anthropic key (sk-ant-…)"),
        ("sk-ant-admin01-" + BODY, "anthropic", "an Anthropic admin key (sk-ant-admin…)"),
        ("sk-proj-" + BODY, "openai", "an OpenAI project key (sk-proj-…)"),
        ("sk-svcacct-" + BODY, "openai", "an OpenAI service-account key (sk-svcacct-…)"),
        ("sk-admin-" + BODY, "openai", "an OpenAI admin key (sk-admin-…)"),
        ("sk-" + BODY, "openai", "an OpenAI key (sk-…)"),
    ],
)
def test_longest_prefix_wins(value, owner, description):
    provider, shape = providers.key_shape(value)
    assert provider.name == owner and shape.description == description
    assert providers.key_owner(value).name == owner
    assert setup_check.describe_key(value) == f"{description}, {len(value)} characters"


def test_values_of_no_provider():
    for value in ("offline-stand-in", BODY, "", "SK-" + BODY):
        assert providers.key_owner(value) is None


# The scan's pattern before the records existed; the one built from them must match the same.
OLD_PATTERN = re.compile(
    r"sk-(?:ant-|proj-|svcacct-)?[A-Za-z0-9_-]{20,}|Bearer\s+(?!offline)[A-Za-z0-9_-]{30,}"
)


@pytest.mark.parametrize(
    "text",
    [
        "key=sk-" + BODY, "sk-ant-" + BODY[:20], "sk-ant-" + BODY[:12], "x sk-proj-" + BODY + " y",
        "sk-svcacct-" + BODY[:19], "sk-admin-" + BODY, "Bearer " + BODY, "Bearer offline-" + BODY,
        "sk-" + BODY[:19], "sk-" + BODY[:20], "'sk-ant-admin01-" + BODY + "'", "sk--" * 12,
    ],
)
def test_key_pattern_from_the_records_matches_like_the_old_one(text):
    assert [m.span() for m in setup_check.KEY_PATTERN.finditer(text)] == \
        [m.span() for m in OLD_PATTERN.finditer(text)]


def test_the_other_providers_key_messages_are_unchanged():
    assert setup_check.key_problems("sk-ant-api03-" + BODY, "openai") == [
        ("is an Anthropic key (sk-ant-…); OpenAI will answer 401",
         "move it to ANTHROPIC_API_KEY and put your OpenAI key (sk-…) here")]
    assert setup_check.key_problems("sk-proj-" + BODY, "anthropic") == [
        ("looks like an OpenAI key; Anthropic keys start with sk-ant-",
         "move it to OPENAI_API_KEY and put your Anthropic key here")]
    assert setup_check.key_problems(BODY, "anthropic")[0][0] == "does not start with sk-ant-"
    assert setup_check.key_problems(BODY, "openai")[0][0] == "does not start with sk-"


def test_only_openai_admin_keys_are_refused():
    (problem,) = setup_check.key_problems("sk-admin-" + BODY, "openai")
    assert "admin key" in problem[0] and "sk-proj-" in problem[1]
    assert setup_check.key_problems("sk-ant-admin01-" + BODY, "anthropic") == []


def test_banner_labels_and_offline_paths_come_from_the_records(monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    for p in PROVIDERS:
        assert clients.banner(config.provider(p.name)).startswith(f"{p.label} → offline stand-in")
    assert str(clients.offline_openai_client().base_url).rstrip("/").endswith(OPENAI.offline_path)
    assert clients.offline_anthropic_client().api_key == providers.OFFLINE_KEY


def test_importing_the_records_imports_no_sdk():
    code = "import sys, course_lib.providers; print(sorted({'openai', 'anthropic'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr
