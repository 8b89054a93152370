"""scripts/check_live.py against the stand-in posing as a real provider, on a day when one
model used by a tiny notebook has shut down, with one rejected parameter and one changed
response shape. No network: both passes talk to local stand-ins."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_live.py"
spec = importlib.util.spec_from_file_location("check_live", SCRIPT)
check_live = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = check_live  # dataclasses look their module up
spec.loader.exec_module(check_live)

CREATE = ("client.chat.completions.create(model={model!r}, "
          "messages=[{{'role': 'user', 'content': 'Hello'}}], {extra})")


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """Cell 2: gpt-5 (shut down 2026-12-11); 3: uses its reply; 4: max_tokens, which GPT-5
    models reject; 5: reads a field a stream does not have; 6: fine."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in (
        "from course_lib.clients import openai_client\nclient = openai_client()",
        "reply = " + CREATE.format(model="gpt-5", extra="max_completion_tokens=40"),
        "print(reply.choices[0].message.content)",
        CREATE.format(model="gpt-5.4-mini", extra="max_tokens=20"),
        "stream = " + CREATE.format(model="gpt-5.4-mini", extra="max_completion_tokens=20, "
                                    "stream=True") + "\nfor chunk in stream:\n    pass\n"
        "print(stream.choices)",
        "ok = " + CREATE.format(model="gpt-5.4-mini", extra="max_completion_tokens=10"),
    )]
    path = tmp_path_factory.mktemp("live") / "7.99-tiny.ipynb"
    nbformat.write(nb, path)
    return path


def run(*args, today="2026-12-20", cwd=None):
    """cwd: a folder with no .env above it, so a maintainer's real keys are never loaded."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("COURSE_OFFLINE", "OPENAI_API_KEY", "ANTHROPIC_API_KEY")}
    env["COURSE_TODAY"] = today
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], env=env,
                          cwd=cwd or Path(args[-1]).parent, capture_output=True, text=True,
                          timeout=600)


def test_each_failing_cell_is_reported_with_what_changed(lesson):
    out = run("--stand-in", "--budget", "1.00", "--workers", "1", lesson)
    assert out.returncode == 1, out.stdout + out.stderr
    rows = {line.split("|")[2].strip(): line.split("|")[3].strip()
            for line in out.stdout.splitlines() if line.startswith("| 7.99-tiny")}
    assert rows == {"2": "retired model", "3": "follows an earlier failure",
                    "4": "rejected parameter", "5": "changed response shape"}, out.stdout
    assert "estimated cost: at most $" in out.stdout


def test_over_budget_refuses_before_any_live_request(lesson):
    out = run("--stand-in", "--budget", "0", "--workers", "1", lesson)
    assert out.returncode == 3, out.stdout + out.stderr
    assert "REFUSED" in out.stdout and "live pass" not in out.stdout


def test_without_a_real_key_there_is_nothing_to_check(lesson):
    out = run("--budget", "0", lesson)  # budget 0: even with a key, nothing would be sent
    assert out.returncode == 2 and "needs a real key" in out.stdout


def test_pricing_caps_output_at_the_requests_limit():
    entries = [
        {"notebook": "a", "model": "gpt-5.4-mini", "cap": 100, "n": 1,
         "usage": {"prompt_tokens": 1000, "completion_tokens": 10}},
        {"notebook": "a", "model": "claude-haiku-4-5", "cap": None,
         "usage": {"input_tokens": 1000, "output_tokens": 10}},
        {"notebook": "b", "model": "not-a-model", "usage": {"prompt_tokens": 1}},
    ]
    costs = check_live.price(entries)
    from course_lib.usage import Usage

    recorded = (Usage(1000, 0, 0, 10).cost("gpt-5.4-mini")
                + Usage(1000, 0, 0, 10).cost("claude-haiku-4-5"))
    upper = (Usage(1000, 0, 0, 100).cost("gpt-5.4-mini")
             + Usage(1000, 0, 0, 10 * check_live.OUTPUT_MARGIN).cost("claude-haiku-4-5"))
    assert costs["a"]["recorded"] == pytest.approx(recorded)
    assert costs["a"]["estimate"] == pytest.approx(upper)
    assert costs["b"]["unpriced"] == 1


def test_classify():
    assert check_live.classify("NotFoundError", "model `x` has been deprecated", False) == \
        "retired model"
    assert check_live.classify("BadRequestError", "Unsupported parameter: 'stop'", False) == \
        "rejected parameter"
    assert check_live.classify("KeyError", "'content'", False) == "changed response shape"
    assert check_live.classify("NameError", "name 'r'", True) == "follows an earlier failure"
