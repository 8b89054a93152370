"""course_lib.sampling: softmax with temperature, top-p, and the plots/widget built on them."""

import doctest

import matplotlib
import numpy as np
import pytest

from course_lib import sampling
from course_lib.model import ngram
from course_lib.sampling import softmax_with_temperature, top_p_filter

matplotlib.use("Agg")


def test_docstring_examples():
    assert doctest.testmod(sampling).failed == 0


def test_temperature_one_gives_back_the_models_probabilities():
    model = ngram.NGramModel.train("the cat sat on the mat. the cat ate the rat.", n=2)
    _, logits = model.logits(" the")
    _, probs = model.distribution(" the")
    assert np.allclose(softmax_with_temperature(logits, 1.0), probs)


@pytest.mark.parametrize("t", [0.2, 0.7, 1.0, 1.5, 3.0])
def test_softmax_is_a_distribution_and_keeps_the_order(t):
    logits = np.array([1.5, -0.3, 0.9, -2.0])
    probs = softmax_with_temperature(logits, t)
    assert probs.sum() == pytest.approx(1)
    assert list(np.argsort(-probs)) == list(np.argsort(-logits))


def test_low_temperature_sharpens_high_flattens():
    logits = [2.0, 1.0, 0.0]
    tops = [softmax_with_temperature(logits, t)[0] for t in (0.2, 0.7, 1.0, 1.5)]
    assert tops == sorted(tops, reverse=True)


def test_temperature_zero_is_greedy_and_huge_logits_do_not_overflow():
    assert list(softmax_with_temperature([0.1, 3.0, 3.0], 0)) == [0, 1, 0]
    assert np.all(np.isfinite(softmax_with_temperature([1000.0, 999.0], 1.0)))
    with pytest.raises(ValueError):
        softmax_with_temperature([1.0], -1)


def test_top_p_keeps_the_smallest_set_reaching_p_in_input_order():
    assert np.allclose(top_p_filter([0.1, 0.6, 0.3], 0.7), [0, 2 / 3, 1 / 3])
    assert np.allclose(top_p_filter([0.5, 0.3, 0.2], 0.5), [1, 0, 0])  # exact boundary: 1 token
    assert np.allclose(top_p_filter([0.5, 0.3, 0.2], 1.0), [0.5, 0.3, 0.2])
    with pytest.raises(ValueError):
        top_p_filter([1.0], 0)


def test_top_p_matches_the_stand_ins_sampler():
    # ngram.sample keeps the same set: with top_p tiny it always returns the top token.
    model = ngram.NGramModel.train("a b a c a b a d a b", n=2)
    rng = np.random.default_rng(0)
    tokens, probs = model.distribution(" a")
    kept = top_p_filter(probs, 0.5)
    picks = {model.sample(" a", 1.0, 0.5, rng) for _ in range(50)}
    assert picks == {int(t) for t, k in zip(tokens, kept, strict=True) if k > 0}


def test_next_token_logits_are_readable_labels():
    labels, logits = sampling.next_token_logits("If the argument is")
    assert len(labels) == len(logits) > 10
    assert np.all(np.diff(logits) <= 1e-12)  # most likely first
    assert all(label and " " not in label for label in labels)


def test_plots_and_widget_build():
    labels, logits = ["·a", "·b", "·c", "·d"], np.log([0.4, 0.3, 0.2, 0.1])
    fig = sampling.plot_temperatures(labels, logits, k=3)
    assert len(fig.axes) == 4
    probs = softmax_with_temperature(logits, 1.0)
    ax = sampling.plot_distribution(labels, probs, kept=top_p_filter(probs, 0.6), k=3)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["·a", "·b", "·c", "1 others"]
    assert ax.get_legend() is not None  # every colour is named
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert names == ["can be picked", "removed by top_p", "all other tokens, together"]
    matplotlib.pyplot.close("all")


def test_distribution_widget_shows_one_picture_and_replaces_it(monkeypatch):
    """One picture under the sliders; a slider move replaces it (same display id), never adds."""
    import IPython.display

    shown, updated = [], []
    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, display_id=None: shown.append((obj, display_id)))
    monkeypatch.setattr(IPython.display, "update_display",
                        lambda obj, display_id=None: updated.append((obj, display_id)))
    labels, logits = ["·a", "·b", "·c", "·d"], [2.0, 1.0, 0.5, 0.0]
    widget, show = sampling.distribution_widget(labels, logits, temperature=0.7, top_p=0.9)
    assert "temperature" in widget.text
    t_slider, p_slider = widget.widget.children
    assert (t_slider.description, p_slider.description) == ("temperature", "top_p")
    assert t_slider.style.description_width == "initial"  # the label is never cut
    assert shown == [] and updated == []  # building draws nothing
    show()
    assert len(shown) == 1
    t_slider.value = 1.3
    p_slider.value = 0.5
    assert len(shown) == 1 and len(updated) == 2  # replaced in place, twice
    assert {d for _, d in updated} == {shown[0][1]}
    assert matplotlib.pyplot.get_fignums() == []  # nothing left to show again at the cell end


class _FixedDraw:
    """A stand-in for np.random.Generator whose random() returns a chosen number."""

    def __init__(self, u):
        self.u = u

    def random(self):
        return self.u


def _distribution_sampled(probs, temperature, top_p):
    """The distribution ngram.sample_index draws from, read off without drawing.

    sample_index turns one uniform number u in [0, 1) into an index, monotonically; index i
    gets the interval of u that maps to it, and the interval's length is P(i). The boundaries
    are found by bisection with a fixed "random" number.
    """
    def index(u):
        return ngram.sample_index(probs, temperature, top_p, _FixedDraw(u))

    bounds = [0.0]
    for i in range(1, len(probs)):
        lo, hi = bounds[-1], 1.0  # the smallest u giving an index >= i lies in (lo, hi]
        if index(np.nextafter(1.0, 0)) < i:
            bounds.append(1.0)
            continue
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if index(mid) >= i else (mid, hi)
        bounds.append(hi)
    bounds.append(1.0)
    return np.diff(bounds)


@pytest.mark.parametrize(("temperature", "top_p"), [
    (1.0, 1.0), (0.5, 1.0), (1.7, 1.0), (1.0, 0.6), (0.7, 0.9), (1.5, 0.3), (0.0, 1.0),
])
def test_the_stand_ins_sampler_and_the_library_agree_on_the_distribution(temperature, top_p):
    # What lesson 7.5 teaches (softmax of the logits at T, then top-p) is what the offline
    # stand-in samples from: same tokens kept, same probabilities.
    model = ngram.NGramModel.train("a b a c a b a d a b a e a c a b", n=2)
    _, probs = model.distribution(" a")
    _, logits = model.logits(" a")
    assert len(probs) >= 4
    taught = top_p_filter(softmax_with_temperature(logits, temperature), top_p)
    sampled = _distribution_sampled(probs, temperature, top_p)
    assert list(sampled > 1e-9) == list(taught > 0)
    assert np.allclose(sampled, taught, atol=1e-9)
