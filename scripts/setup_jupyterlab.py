"""Jupyter settings for the course's .venv (run by `make .venv/.installed` and Binder's postBuild).

- JupyterLab reads default settings from <prefix>/share/jupyter/lab/settings/overrides.json;
  `make lab` opens notebooks/README.md, which should look like a landing page, not source.
- Every kernel started from this environment (`make lab`, `make test`'s nbval, `make notebooks`,
  `make bench`) reads <prefix>/etc/ipython/ipython_kernel_config.py: see KERNEL_CONFIG.
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

MARK = "# Written by the course's scripts/setup_jupyterlab.py"
KERNEL_CONFIG = f'''{MARK}: the kernels of this environment.
#
# A lesson's first cell imports pandas, matplotlib and the openai / anthropic SDKs: a few hundred
# thousand new objects, nearly all of them kept for the life of the kernel. With CPython's default
# thresholds (700, 10, 10) the garbage collector walks the whole, growing heap about five times
# during those imports, 0.3-0.5 s of a 1.5-2.5 s cell, and finds next to nothing to free. A full
# collection after 100 collections of the younger generations instead of 10 skips those walks;
# young objects are collected as before. No name is added to the notebook's namespace.
c.InteractiveShellApp.exec_lines = ["__import__('gc').set_threshold(700, 10, 100)"]
'''
kernel_config = Path(sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py"
if not kernel_config.exists() or kernel_config.read_text().startswith(MARK):  # never clobber yours
    kernel_config.parent.mkdir(parents=True, exist_ok=True)
    kernel_config.write_text(KERNEL_CONFIG)
