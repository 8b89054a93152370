"""A progress bar (tqdm) whose saved notebook output shows where it finished.

``tqdm.auto`` draws a widget in Jupyter and a text bar in a terminal. A widget's text
fallback, which GitHub, nbconvert and nbval read, is written once, when the bar appears; a
saved notebook would show ``0/12`` for ever. :func:`progress` shows the same ``tqdm.auto`` bar
under a display id and sends it again when the block ends, so the saved text is the final
state, e.g. ``requests: 100%|##########| 12/12``. The default format leaves out the elapsed
time and the rate, which change on every run.

    with progress(total=len(prompts), desc="requests") as bar:
        for prompt in prompts:
            ...
            bar.update()          # the ordinary tqdm object
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["BAR_FORMAT", "progress"]

BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt}"


@contextmanager
def progress(total: int, desc: str = "", **kwargs: Any) -> Iterator[Any]:
    """A ``tqdm.auto.tqdm(total=..., desc=...)`` bar, closed (and re-shown) when the block ends.

    Other keyword arguments go to tqdm; ``bar_format`` defaults to :data:`BAR_FORMAT`.
    """
    from tqdm.auto import tqdm  # here, not at the top: `import course_lib` stays fast
    from tqdm.notebook import tqdm_notebook

    kwargs.setdefault("bar_format", BAR_FORMAT)
    if not issubclass(tqdm, tqdm_notebook):  # a terminal, a script, a test
        with tqdm(total=total, desc=desc, **kwargs) as bar:
            yield bar
        return
    from IPython.display import display

    bar = tqdm(total=total, desc=desc, display=False, **kwargs)
    handle = display(bar.container, display_id=True)
    try:
        yield bar
    finally:
        bar.close()
        handle.update(bar.container)  # the saved text now reads as the bar finished
