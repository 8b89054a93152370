"""Temperature and top-p: how a next-token distribution becomes one picked token.

    >>> softmax_with_temperature([2.0, 1.0, 0.0], 1.0).round(3)
    array([0.665, 0.245, 0.09 ])
    >>> softmax_with_temperature([2.0, 1.0, 0.0], 0.5).round(3)      # sharper
    array([0.867, 0.117, 0.016])
    >>> top_p_filter([0.5, 0.3, 0.15, 0.05], 0.8)                    # 0.5 + 0.3 reaches 0.8
    array([0.625, 0.375, 0.   , 0.   ])

Lesson 7.5 plots these on real next-token logits from the stand-in's n-gram model
(``course_lib.model.ngram``). Simplification: the provider applies the same two steps to a
vocabulary of ~200k tokens; here the candidates are the few hundred the n-gram model has seen.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "distribution_widget",
    "next_token_logits",
    "plot_distribution",
    "plot_temperatures",
    "softmax_with_temperature",
    "top_p_filter",
]


def softmax_with_temperature(logits: Sequence[float], temperature: float = 1.0) -> np.ndarray:
    """Probabilities ∝ exp(logit / T). T < 1 sharpens, T > 1 flattens, T = 0 is greedy
    (all probability on the largest logit; the first one on a tie)."""
    z = np.asarray(logits, dtype=float)
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    if temperature == 0:
        out = np.zeros_like(z)
        out[int(np.argmax(z))] = 1.0
        return out
    z = (z - z.max()) / temperature  # subtracting the max keeps exp() from overflowing
    e = np.exp(z)
    return e / e.sum()


def top_p_filter(probs: Sequence[float], p: float) -> np.ndarray:
    """Keep the smallest set of most likely tokens whose probabilities add up to ``p``;
    zero the rest and renormalise. Same order as the input."""
    probs = np.asarray(probs, dtype=float)
    if not 0 < p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {p}")
    order = np.argsort(-probs, kind="stable")
    cumulative = np.cumsum(probs[order])
    # the first position where the running total reaches p (tolerant of float rounding)
    keep = int(np.searchsorted(cumulative, p * cumulative[-1] * (1 - 1e-9))) + 1
    out = np.zeros_like(probs)
    out[order[:keep]] = probs[order[:keep]]
    return out / out.sum()


# ---------------------------------------------------------------------------------------
# Real logits, and pictures of them


def next_token_logits(context: str, model: Any = None) -> tuple[list[str], np.ndarray]:
    """(readable token texts, logits) for the next token after ``context``, most likely first.

    Logits are the n-gram model's log-probabilities (softmax of them gives its probabilities
    back). Spaces are shown as ``·`` and newlines as ``⏎`` so the labels are visible.
    """
    from course_lib.model import ngram

    model = model or ngram.default_model()
    ids, logits = model.logits(context)
    labels = [
        model.enc.decode([int(i)]).replace(" ", "·").replace("\n", "⏎") or "∅" for i in ids
    ]
    return labels, np.asarray(logits, dtype=float)


BLUE, LIGHT, GREY = "#2563eb", "#d1d5db", "#9ca3af"  # can be picked, removed by top_p, others


def plot_distribution(
    labels: Sequence[str],
    probs: Sequence[float],
    *,
    kept: Sequence[float] | None = None,
    k: int = 10,
    title: str = "",
    ax: Any = None,
    legend: bool = True,
) -> Any:
    """Bars for the ``k`` most likely tokens plus one grey bar for all the others.

    With ``kept`` (the output of :func:`top_p_filter`), tokens top-p removes are drawn hatched.
    A legend names every colour (``legend=False`` leaves it out, e.g. on small panels).
    """
    import matplotlib.pyplot as plt

    probs = np.asarray(probs, dtype=float)
    ax = ax or plt.subplots(figsize=(7, 3))[1]
    top = np.argsort(-probs, kind="stable")[:k]
    rest = 1.0 - probs[top].sum()
    names = [labels[i] for i in top] + [f"{len(probs) - len(top)} others"]
    heights = list(probs[top]) + [max(rest, 0.0)]
    alive = [True] * len(top) + [True]
    if kept is not None:
        kept = np.asarray(kept)
        alive = [bool(kept[i] > 0) for i in top] + [bool(kept.sum() - kept[top].sum() > 1e-12)]
    colours = [BLUE if a else LIGHT for a in alive[:-1]] + [GREY]
    bars = ax.bar(range(len(names)), heights, color=colours)
    for bar, a in zip(bars, alive, strict=True):
        if not a:
            bar.set_hatch("///")
    if legend:
        from matplotlib.patches import Patch

        handles = [Patch(color=BLUE, label="can be picked")]
        if not all(alive[:-1]):
            handles.append(Patch(facecolor=LIGHT, hatch="///", label="removed by top_p"))
        handles.append(Patch(color=GREY, label="all other tokens, together"))
        ax.legend(handles=handles, loc="upper right", fontsize=8, frameon=False)
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=9)
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def plot_temperatures(
    labels: Sequence[str],
    logits: Sequence[float],
    temperatures: Sequence[float] = (0.2, 0.7, 1.0, 1.5),
    k: int = 8,
) -> Any:
    """One panel per temperature: the same logits, softmaxed at each T."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(temperatures), figsize=(3.2 * len(temperatures), 3.2),
                             sharey=True)
    for n, (ax, t) in enumerate(zip(np.atleast_1d(axes), temperatures, strict=True)):
        probs = softmax_with_temperature(logits, t)
        plot_distribution(labels, probs, k=k, ax=ax, legend=n == 0,
                          title=f"T = {t}: top token {probs.max():.0%}")
        if n:
            ax.set_ylabel("")
    fig.tight_layout()
    return fig


def distribution_widget(
    labels: Sequence[str], logits: Sequence[float], temperature: float = 0.7, top_p: float = 1.0
) -> tuple[Any, Any]:
    """(temperature and top_p sliders, a function that shows the picture they control).

    ``display(sliders); show()`` gives one picture under the sliders; each slider move
    replaces that picture in place (``update_display``), so there is never a second plot, and
    the stored notebook keeps the picture for the default values (a static view wherever
    widgets cannot render; the sliders then print as one line of text).
    """
    import ipywidgets as widgets
    from IPython.display import display, update_display

    from course_lib.quiz import WidgetView

    display_id = f"distribution-{uuid.uuid4().hex}"  # this picture, and no other, is replaced
    style = {"description_width": "initial"}  # the full label, never "temperat…"
    layout = widgets.Layout(width="420px")
    sliders = widgets.VBox([
        widgets.FloatSlider(value=temperature, min=0.0, max=2.0, step=0.05,
                            description="temperature", style=style, layout=layout),
        widgets.FloatSlider(value=top_p, min=0.05, max=1.0, step=0.05,
                            description="top_p", style=style, layout=layout),
    ])
    t_slider, p_slider = sliders.children

    def figure(temperature: float, top_p: float) -> Any:
        import matplotlib.pyplot as plt

        probs = softmax_with_temperature(logits, temperature)
        kept = top_p_filter(probs, top_p) if temperature > 0 else probs
        n_kept = int((kept > 0).sum())
        ax = plot_distribution(labels, probs, kept=kept, title=(
            f"T = {temperature:.2f}, top_p = {top_p:.2f}: {n_kept} of {len(probs)} tokens "
            "can be picked"))
        fig = ax.figure
        plt.close(fig)  # shown once, through the display below, not again at the cell's end
        return fig

    def show() -> None:
        display(figure(t_slider.value, p_slider.value), display_id=display_id)

    def redraw(_change: Any = None) -> None:
        update_display(figure(t_slider.value, p_slider.value), display_id=display_id)

    for slider in sliders.children:
        slider.observe(redraw, names="value")
    text = ("[interactive: temperature and top_p sliders; needs a running kernel. The picture "
            f"below is T = {temperature}, top_p = {top_p}]")
    return WidgetView(sliders, text), show
