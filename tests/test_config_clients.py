"""course_lib.config and course_lib.clients: the provider switch."""

import subprocess
import sys

import anthropic
import openai
import pytest

from course_lib import clients, config


@pytest.fixture
def env(monkeypatch):
    for name in ("COURSE_OFFLINE", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_MODEL", "ANTHROPIC_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "load_env", lambda: None)
    return monkeypatch


def test_no_key_means_offline(env):
    settings = config.provider("openai")
    assert settings.offline and "OPENAI_API_KEY" in settings.reason


def test_key_means_real_unless_course_offline(env):
    env.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    assert not config.provider("openai").offline
    env.setenv("COURSE_OFFLINE", "1")
    assert config.provider("openai").offline


def test_model_override(env):
    env.setenv("ANTHROPIC_MODEL", "claude-sonnet-4-6")
    assert config.default_model("anthropic") == "claude-sonnet-4-6"
    assert config.default_model("openai") == config.DEFAULT_MODELS["openai"]


def test_unknown_provider(env):
    with pytest.raises(ValueError, match="openai"):
        config.provider("gemini")


def test_banner_names_provider_model_and_switch_but_never_the_key(env):
    env.setenv("OPENAI_API_KEY", "sk-proj-fake-SECRET-0123456789abcdef")
    line = clients.banner(config.provider("openai"))
    assert "OpenAI" in line and "real API" in line and config.DEFAULT_MODELS["openai"] in line
    assert "SECRET" not in line and "sk-" not in line and "fake" not in line


def test_real_clients_are_the_sdk_classes_with_forwarded_options(env):
    env.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    env.setenv("ANTHROPIC_API_KEY", "sk-ant-test-not-a-real-key")
    client = clients.openai_client(max_retries=5, timeout=3.0)
    assert type(client) is openai.OpenAI and client.max_retries == 5 and client.timeout == 3.0
    assert "api.openai.com" in str(client.base_url)
    assert type(clients.async_openai_client()) is openai.AsyncOpenAI
    aclient = clients.anthropic_client(max_retries=0)
    assert type(aclient) is anthropic.Anthropic and aclient.max_retries == 0
    assert type(clients.async_anthropic_client()) is anthropic.AsyncAnthropic


def test_offline_clients_point_at_the_stand_in(env):
    env.setenv("COURSE_OFFLINE", "1")
    client = clients.openai_client()
    assert str(client.base_url).startswith("http://127.0.0.1:")
    assert str(client.base_url).rstrip("/").endswith("/v1")
    assert client.api_key == clients.OFFLINE_KEY
    assert str(clients.anthropic_client().base_url).startswith("http://127.0.0.1:")


def test_offline_clients_ignore_real_keys(env):
    env.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    env.setenv("ANTHROPIC_API_KEY", "sk-ant-test-not-a-real-key")
    client = clients.offline_openai_client(max_retries=0)
    assert str(client.base_url).startswith("http://127.0.0.1:") and client.max_retries == 0
    assert client.api_key == clients.OFFLINE_KEY
    assert str(clients.offline_anthropic_client().base_url).startswith("http://127.0.0.1:")


def test_dotenv_is_loaded_from_the_working_directory(tmp_path):
    (tmp_path / ".env").write_text("OPENAI_MODEL=from-dotenv\n")
    code = "from course_lib import config; print(config.default_model('openai'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={"PATH": "", "HOME": str(tmp_path)})
    assert out.stdout.strip() == "from-dotenv", out.stderr


def test_import_course_lib_is_light():
    code = "import sys, course_lib, course_lib.clients, course_lib.config; " \
           "print(any(m in sys.modules for m in ('openai', 'anthropic', 'tiktoken', 'numpy', 'pandas')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
