"""Every notebook also runs unchanged on the real-key path (see scripts/rehearse_real_keys.py)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_notebook_runs_with_keys_set_and_no_offline_switch():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rehearse_real_keys.py")],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "ok" in result.stdout
