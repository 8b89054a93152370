"""nbval really compares stored outputs: a hand-edited output makes the notebook fail."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "notebooks" / "a-what-is-an-llm" / "7.03-tokens-under-the-hood.ipynb"


@pytest.mark.skipif(not LESSON.exists(), reason="lesson 7.3 not written yet")
def test_a_hand_edited_output_fails_nbval(tmp_path):
    nb = json.loads(LESSON.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        streams = [o for o in cell.get("outputs", []) if o["output_type"] == "stream"]
        if cell["cell_type"] == "code" and streams:
            streams[0]["text"] = ["a number a student typed in by hand: 42\n"]
            break
    else:
        pytest.fail("lesson 7.3 has no printed output to tamper with")
    # Keep the notebook beside its neighbours' data, as nbval runs it from its own folder.
    tampered = tmp_path / LESSON.name
    tampered.write_text(json.dumps(nb), encoding="utf-8")
    shutil.copy(ROOT / "tests" / "sanitize.cfg", tmp_path / "sanitize.cfg")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         "--nbval-current-env", "--nbval-sanitize-with", "sanitize.cfg", "-x", tampered.name,
         "-c", os.devnull, "--rootdir", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "COURSE_OFFLINE": "1"},
        timeout=120,
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert "a number a student typed in by hand" in result.stdout
