"""The course as a student meets it: JupyterLab in headless Chromium (issue 15).

One `jupyter lab` on loopback with a token, serving a temporary COPY of notebooks/ (running a
lesson autosaves it; the checkout must stay clean). Chromium is Debian's `chromium` package,
driven by Playwright for Python through ``executable_path`` (nothing downloads a browser).

- the landing page (notebooks/README.md) renders with its lesson links;
- every lesson: opened (a fresh kernel), Run All, and no cell shows an error;
- 7.05: one picture under the sliders, full slider labels, and moving the temperature slider
  changes the picture's pixels;
- the real checkout's `git status --porcelain` is the same before and after.

Screenshots go to .artifacts/browser/ (git-ignored). Skips when Chromium or Playwright is
missing on a developer's machine; with COURSE_REQUIRE_BROWSER=1 (set by .ci/run) it fails.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".artifacts" / "browser"
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
PAGES = int(os.environ.get("COURSE_BROWSER_PAGES", "3"))  # lessons run in parallel, one server
LESSON_TIMEOUT = 240  # s for one lesson's Run All (each runs in < 10 s offline when idle)
SLIDER_LESSON = "a-what-is-an-llm/7.05-temperature-and-sampling.ipynb"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _need(reason: str) -> None:
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"COURSE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout


def lessons() -> list[str]:
    """Every lesson (COURSE_BROWSER_LESSONS=7.05,7.12 picks some, while working on them)."""
    chosen = [c for c in os.environ.get("COURSE_BROWSER_LESSONS", "").split(",") if c]
    return sorted(str(p.relative_to(ROOT / "notebooks"))
                  for p in (ROOT / "notebooks").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts
                  and (not chosen or any(p.name.startswith(c) for c in chosen)))


@pytest.fixture(scope="module")
def lab(tmp_path_factory, start_jupyter):
    """(base URL, token, the served copy): one JupyterLab for the whole module."""
    if not Path(CHROMIUM).exists():
        _need(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _need("playwright is not installed (pip install -e '.[test]')")
    # The copy sits where the checkout's notebooks/ sits: lessons read ../../.env.example,
    # ../../data/...; the rest of the checkout is linked in (writes there would show in git).
    course = tmp_path_factory.mktemp("course")
    copy = course / "notebooks"
    shutil.copytree(ROOT / "notebooks", copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for entry in ROOT.iterdir():
        if entry.name not in ("notebooks", ".git", ".venv", ".artifacts", "build"):
            (course / entry.name).symlink_to(entry)
    token = secrets.token_hex(16)
    env = {**os.environ, "COURSE_OFFLINE": "1", "PYTHONPATH": str(ROOT),
           "JUPYTER_CONFIG_DIR": str(course / ".jupyter-config"),  # no user settings leak in
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
           f"--ServerApp.root_dir={copy}", "--LabApp.expose_app_in_browser=True",
           "--LabApp.news_url=", "--ServerApp.allow_root=True"]
    try:
        server, port = start_jupyter(cmd, env, course / ".jupyter-runtime", token=token,
                                     log=copy.parent / "lab.log", cwd=copy.parent)
    except AssertionError as exc:
        pytest.fail(str(exc))
    base = f"http://127.0.0.1:{port}"
    yield base, token, copy
    start_jupyter.stop(server)


# JavaScript run in the page (JupyterLab exposes `window.jupyterapp` with expose_app_in_browser).
OPEN_AND_RUN = """
async (path) => {
  const app = window.jupyterapp;
  const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await panel.context.ready;
  await panel.sessionContext.ready;
  app.shell.activateById(panel.id);
  await app.commands.execute('notebook:run-all-cells');
  const cells = panel.content.model.cells;
  const report = {errors: [], unrun: 0, code: 0, id: panel.id};
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i).toJSON();
    if (cell.cell_type !== 'code') continue;
    report.code += 1;
    if (cell.execution_count === null) report.unrun += 1;
    for (const out of cell.outputs) {
      if (out.output_type === 'error') {
        report.errors.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
      }
    }
  }
  return report;
}
"""
CLOSE = """
async (path) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  if (panel && panel.sessionContext) { await panel.sessionContext.shutdown(); }
  if (panel) { panel.dispose(); }
}
"""
KERNEL_IDLE = """
() => { const panel = window.jupyterapp.shell.currentWidget;
        const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
        return kernel && kernel.status === 'idle'; }
"""
PLOT_IMAGES = """
(id) => Array.from(document.getElementById(id).querySelectorAll('.jp-Cell'))
  .filter(c => c.querySelector('.widget-slider'))
  .flatMap(c => Array.from(c.querySelectorAll('.jp-OutputArea-output img')).map(i => i.src))
"""


async def _app_page(browser, base: str, token: str):
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    await page.goto(f"{base}/lab/tree/README.md?token={token}", wait_until="load")
    await page.wait_for_function("window.jupyterapp && window.jupyterapp.started", timeout=120_000)
    await page.wait_for_function("window.jupyterapp.restored !== undefined", timeout=60_000)
    await page.evaluate("window.jupyterapp.restored")
    return page


def _png_pixels(src: str) -> bytes:
    """The decoded pixels of a data: URL PNG (not only its bytes: encoders may differ)."""
    import io

    from PIL import Image

    data = base64.b64decode(src.split(",", 1)[1])
    return Image.open(io.BytesIO(data)).convert("RGB").tobytes()


async def _slider(page, panel: str) -> dict:
    """Move 7.05's temperature slider; the one picture under it must change."""
    sliders = page.locator(f"#{panel} .widget-slider")
    await sliders.first.wait_for(timeout=60_000)
    before = await page.evaluate(PLOT_IMAGES, panel)
    labels = await sliders.locator(".widget-label").evaluate_all(
        "els => els.map(e => ({text: e.textContent, cut: e.scrollWidth > e.clientWidth}))")
    handle = sliders.filter(has_text="temperature").locator(".noUi-handle").first
    cell = page.locator(f"#{panel} .jp-Cell").filter(has=page.locator(".widget-slider")).first
    await cell.scroll_into_view_if_needed()
    await page.wait_for_timeout(500)  # the windowed notebook paints the cells scrolled to
    await cell.screenshot(path=str(ARTIFACTS / "7.05-slider-before.png"))
    await handle.focus()
    for _ in range(10):  # ten steps of 0.05: T 0.70 → 1.20
        await handle.press("ArrowRight")
    if before:  # wait for the picture to be replaced
        await page.wait_for_function(
            f"([id, old]) => {{ const now = ({PLOT_IMAGES})(id); "
            "return now.length > 0 && now[0] !== old; }", arg=[panel, before[0]], timeout=30_000)
    await page.wait_for_function(KERNEL_IDLE, timeout=30_000)  # every move drawn
    await page.wait_for_timeout(300)
    after = await page.evaluate(PLOT_IMAGES, panel)
    await cell.screenshot(path=str(ARTIFACTS / "7.05-slider-after.png"))
    return {"labels": labels, "before": before, "after": after}


async def _drive(base: str, token: str, paths: list[str]) -> dict:
    from playwright.async_api import async_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    results: dict = {"lessons": {}, "slider": None, "landing": None}
    queue: asyncio.Queue = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        first = await _app_page(browser, base, token)
        landing = first.locator(".jp-RenderedMarkdown").first
        await landing.locator('a[href*=".ipynb"]').first.wait_for(timeout=60_000)
        results["landing"] = await landing.locator("a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))")
        await first.screenshot(path=str(ARTIFACTS / "landing.png"))

        async def worker(page) -> None:
            while not queue.empty():
                path = queue.get_nowait()
                started = time.monotonic()
                try:
                    report = await asyncio.wait_for(page.evaluate(OPEN_AND_RUN, path),
                                                    LESSON_TIMEOUT)
                    if path == SLIDER_LESSON:
                        results["slider"] = await _slider(page, report["id"])
                    name = Path(path).stem
                    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
                except Exception as exc:  # report it as this lesson's failure, go on
                    report = {"errors": [f"browser: {type(exc).__name__}: {exc}"], "unrun": 0,
                              "code": 0}
                    await page.screenshot(path=str(ARTIFACTS / f"{Path(path).stem}-failed.png"))
                report["seconds"] = round(time.monotonic() - started, 1)
                results["lessons"][path] = report
                await page.evaluate(CLOSE, path)

        pages = [first] + [await _app_page(browser, base, token) for _ in range(PAGES - 1)]
        await asyncio.gather(*(worker(p) for p in pages))
        await browser.close()
    return results


def test_every_lesson_runs_in_jupyterlab_and_the_checkout_stays_clean(lab):
    base, token, _copy = lab
    before = _git_status()
    paths = lessons()
    started = time.monotonic()
    results = asyncio.run(_drive(base, token, paths))
    (ARTIFACTS / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    for path, report in sorted(results["lessons"].items()):
        print(f"{report['seconds']:6.1f} s  {path}  {report['errors'] or 'ok'}")
    print(f"browser: {len(paths)} lessons in {time.monotonic() - started:.0f} s "
          f"with {PAGES} pages; screenshots in {ARTIFACTS.relative_to(ROOT)}")

    # The landing page is the rendered course index, linking the lessons.
    linked = {href.split("?")[0].split("/files/", 1)[-1] for href in results["landing"] if href}
    assert set(lessons()) <= linked, set(lessons()) - linked

    # Every lesson: every code cell ran, none shows an error.
    problems = {p: r for p, r in results["lessons"].items()
                if r["errors"] or r["unrun"] or not r["code"]}
    assert set(results["lessons"]) == set(paths)
    assert not problems, problems

    # 7.05: one picture under the sliders, full labels, and a slider move changes its pixels.
    slider = results["slider"]
    assert slider, "7.05's slider was not found"
    assert [label["text"] for label in slider["labels"]] == ["temperature", "top_p"]
    assert not any(label["cut"] for label in slider["labels"]), slider["labels"]  # "temperat…"
    assert len(slider["before"]) == 1, f"{len(slider['before'])} pictures before interaction"
    assert len(slider["after"]) == 1, f"{len(slider['after'])} pictures after a slider move"
    assert _png_pixels(slider["before"][0]) != _png_pixels(slider["after"][0])

    # Running lessons autosaved the copy, never the checkout.
    assert _git_status() == before
