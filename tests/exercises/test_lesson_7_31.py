"""Lesson 7.31's exercise: a greedy generation loop passes; common slips do not."""

import numpy as np

from course_lib.exercises import check_greedy_generate


def greedy(lm, prompt, n_tokens):
    ids = lm.enc.encode_ordinary(prompt)
    for _ in range(n_tokens):
        candidates, _probs = lm.distribution(ids)
        ids.append(int(candidates[0]))
    return lm.enc.decode(ids[-n_tokens:])


def test_the_solution_passes(run):
    ok, out = run(check_greedy_generate, greedy)
    assert ok and "match" in out


def test_nothing_or_not_a_function(run):
    assert "Not answered" in run(check_greedy_generate, None)[1]
    assert "should be a function" in run(check_greedy_generate, "text")[1]


def test_returning_the_prompt_too(run):
    def with_prompt(lm, prompt, n_tokens):
        return prompt + greedy(lm, prompt, n_tokens)

    ok, out = run(check_greedy_generate, with_prompt)
    assert not ok and "prompt as well" in out


def test_returning_ids(run):
    def ids(lm, prompt, n_tokens):
        return lm.enc.encode_ordinary(greedy(lm, prompt, n_tokens))

    ok, out = run(check_greedy_generate, ids)
    assert not ok and "decode" in out


def test_sampling_instead_of_greedy(run):
    def sampled(lm, prompt, n_tokens):
        rng = np.random.default_rng(3)
        ids = lm.enc.encode_ordinary(prompt)
        for _ in range(n_tokens):
            ids.append(lm.sample(ids, temperature=1.5, rng=rng))
        return lm.enc.decode(ids[-n_tokens:])

    ok, out = run(check_greedy_generate, sampled)
    assert not ok and "not the greedy continuation" in out


def test_not_feeding_the_pick_back(run):
    def same_context(lm, prompt, n_tokens):
        ids = lm.enc.encode_ordinary(prompt)
        best = int(lm.distribution(ids)[0][0])
        return lm.enc.decode([best] * n_tokens)

    ok, out = run(check_greedy_generate, same_context)
    assert not ok and "feed each pick back" in out


def test_a_crash_is_reported_not_raised(run):
    def crashes(lm, prompt, n_tokens):
        raise KeyError("oops")

    ok, out = run(check_greedy_generate, crashes)
    assert not ok and "raised KeyError" in out
