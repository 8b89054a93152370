"""JupyterLab settings for the course's .venv: open Markdown (the course index) rendered.

JupyterLab reads default settings from <prefix>/share/jupyter/lab/settings/overrides.json;
`make lab` opens notebooks/README.md, which should look like a landing page, not source.
"""

import json
import sys
from pathlib import Path

path = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
settings = json.loads(path.read_text()) if path.exists() else {}
settings.setdefault("@jupyterlab/docmanager-extension:plugin", {}).setdefault(
    "defaultViewers", {}
)["markdown"] = "Markdown Preview"
# No "get notified about Jupyter news?" pop-up over the course (and no call home for it).
settings.setdefault("@jupyterlab/apputils-extension:notification", {})["fetchNews"] = "false"
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(json.dumps(settings, indent=2) + "\n")
