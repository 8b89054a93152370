"""The cost ledger and the budget guard: sums, tables, refusing before overspending, and the
same guarantees for concurrent async requests against the stand-in (real SDK clients)."""

import asyncio
import pytest

from course_lib import tokens
from course_lib.clients import offline_async_openai_client, offline_openai_client
from course_lib.config import default_model
from course_lib.ledger import Budget, BudgetExceeded, Ledger
from course_lib.usage import Usage

MODEL = "gpt-4o-mini"  # input $0.15, output $0.60 per 1M tokens in data/models.csv


def test_record_sums_and_frame():
    ledger = Ledger()
    ledger.record({"usage": {"prompt_tokens": 1000, "completion_tokens": 200}}, model=MODEL,
                  label="a")
    ledger.record(Usage(input=10, cached_input=1024, output=5), model=MODEL, label="b")
    ledger.record({"usage": {"input_tokens": 20, "cache_read_input_tokens": 4096,
                             "output_tokens": 7}}, model="claude-haiku-4-5", label="c")
    assert len(ledger) == 3
    assert ledger.usage == Usage(input=1030, cached_input=5120, output=212)
    assert ledger.cost == pytest.approx(sum(e.cost for e in ledger.entries))
    assert ledger.entries[0].cost == pytest.approx((1000 * 0.15 + 200 * 0.60) / 1e6)
    frame = ledger.frame()
    assert list(frame["label"]) == ["a", "b", "c"]
    assert list(frame.columns) == ["label", "model", "input", "cached input", "cache write",
                                   "output", "cost $"]
    assert frame["cost $"].sum() == pytest.approx(ledger.cost)
    assert Ledger().frame().empty and Ledger().cost == 0 and Ledger().usage == Usage()


def test_record_reads_the_model_from_the_response_or_asks_for_it():
    client = offline_openai_client()
    response = client.chat.completions.create(model=default_model("openai"), max_completion_tokens=5,
                                              messages=[{"role": "user", "content": "Hi"}])
    entry = Ledger().record(response)
    assert entry.model == response.model and entry.usage == Usage.of(response)
    with pytest.raises(ValueError, match="model="):
        Ledger().record({"usage": {"prompt_tokens": 1, "completion_tokens": 1}})


def test_budget_refuses_before_the_call_that_could_overspend():
    budget = Budget(0.001)
    worst = budget.worst_case(MODEL, prompt_tokens=1000, max_output=500)
    assert worst == pytest.approx((1000 * 0.15 + 500 * 0.60) / 1e6)
    for _ in range(10):
        try:
            budget.check(MODEL, prompt_tokens=1000, max_output=500)
        except BudgetExceeded as err:
            refused = err
            break
        budget.ledger.record(Usage(input=1000, output=500), model=MODEL)  # the worst happens
    assert budget.spent <= budget.limit  # never over, even when every call hits its cap
    assert refused.spent == pytest.approx(budget.spent) and refused.next_cost == pytest.approx(worst)
    text = str(refused)
    for words in ("Budget $0.001000", "spent $", "could cost up to", "max_completion_tokens"):
        assert words in text, text


def test_budget_rejects_a_limit_of_nothing():
    with pytest.raises(ValueError, match="more than"):
        Budget(0)


def test_hold_reserves_the_worst_case_and_releases_it():
    budget = Budget(0.001)
    with budget.hold(MODEL, prompt_tokens=1000, max_output=500) as worst:
        assert budget.held == pytest.approx(worst)
        with (pytest.raises(BudgetExceeded, match="held by requests in flight"),
              budget.hold(MODEL, prompt_tokens=1000, max_output=1000)):
            pass
        budget.ledger.record(Usage(input=1000, output=3), model=MODEL)
    assert budget.held == 0
    with pytest.raises(RuntimeError), budget.hold(MODEL, prompt_tokens=10, max_output=10):
        raise RuntimeError("the request failed")  # a failed request releases its hold too
    assert budget.held == 0 and len(budget.ledger) == 1


def test_concurrent_async_requests_never_overspend():
    model = default_model("openai")
    messages = [{"role": "user", "content": "Explain what a Python list is."}]
    prompt = tokens.count_chat_tokens(messages)
    per_call = Budget.worst_case(model, prompt_tokens=prompt, max_output=40)
    budget = Budget(per_call * 3.5)  # room for three worst cases, not four

    async def one(client, results):
        try:
            with budget.hold(model, prompt_tokens=prompt, max_output=40):
                response = await client.chat.completions.create(
                    model=model, messages=messages, max_completion_tokens=40)
                budget.ledger.record(response)
                results.append("sent")
        except BudgetExceeded:
            results.append("refused")

    async def main():
        client = offline_async_openai_client()
        results = []
        await asyncio.gather(*(one(client, results) for _ in range(8)))
        await client.close()
        return results

    results = asyncio.run(main())
    assert results.count("sent") == 3 and results.count("refused") == 5
    assert budget.spent <= budget.limit and budget.held == 0
    # the stand-in's usage agrees with the count made before sending
    assert all(e.usage.prompt == prompt for e in budget.ledger.entries)
