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


def plot_distribution(
    labels: Sequence[str],
    probs: Sequence[float],
    *,
    kept: Sequence[float] | None = None,
    k: int = 10,
    title: str = "",
    ax: Any = None,
) -> Any:
    """Bars for the ``k`` most likely tokens plus one grey bar for all the others.

    With ``kept`` (the output of :func:`top_p_filter`), tokens top-p removes are drawn hatched.
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
    colours = ["#2563eb" if a else "#d1d5db" for a in alive[:-1]] + ["#9ca3af"]
    bars = ax.bar(range(len(names)), heights, color=colours)
    for bar, a in zip(bars, alive, strict=True):
        if not a:
            bar.set_hatch("///")
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
        plot_distribution(labels, probs, k=k, ax=ax, title=f"T = {t}: top token {probs.max():.0%}")
        if n:
            ax.set_ylabel("")
    fig.tight_layout()
    return fig


def distribution_widget(
    labels: Sequence[str], logits: Sequence[float], temperature: float = 0.7, top_p: float = 1.0
) -> tuple[Any, Any]:
    """(an ``ipywidgets.interactive`` with temperature and top_p sliders, its draw function).

    Display the widget in a live notebook; call ``draw()`` once for a static picture that is
    stored with the notebook (a widget needs a running kernel to redraw). The widget draws
    from the first slider move on. Where widgets cannot render, it prints as one line of text.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from course_lib.quiz import WidgetView

    def draw(temperature: float = temperature, top_p: float = top_p) -> None:
        probs = softmax_with_temperature(logits, temperature)
        kept = top_p_filter(probs, top_p) if temperature > 0 else probs
        n_kept = int((kept > 0).sum())
        plot_distribution(labels, probs, kept=kept, title=(
            f"T = {temperature:.2f}, top_p = {top_p:.2f}: {n_kept} of {len(probs)} tokens "
            "can be picked (blue)"))
        plt.show()

    calls = []

    def redraw(temperature: float, top_p: float) -> None:
        # ``interactive`` calls this once as it is built, before anything is on screen; skip
        # that call, so the widget's first picture comes with the first slider move and the
        # static ``draw()`` below it shows the defaults (identically with or without a kernel).
        if calls:
            draw(temperature, top_p)
        calls.append((temperature, top_p))

    sliders = {
        "temperature": widgets.FloatSlider(value=temperature, min=0.0, max=2.0, step=0.05),
        "top_p": widgets.FloatSlider(value=top_p, min=0.05, max=1.0, step=0.05),
    }
    text = (f"[interactive: temperature and top_p sliders; needs a running kernel. Static view "
            f"below: T = {temperature}, top_p = {top_p}]")
    return WidgetView(widgets.interactive(redraw, **sliders), text), draw
