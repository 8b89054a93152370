"""Lesson 7.24's checks: a request's worst-case cost, and a guard that stops before, not after."""

from course_lib import models, tokens
from course_lib.exercises import check_requests_within_budget, check_worst_case_cost


def worst_case_cost(messages, model, max_completion_tokens):  # the lesson's solution
    info = models.get(model)
    prompt = tokens.count_chat_tokens(messages)
    return (prompt * info.input + max_completion_tokens * info.output) / 1_000_000


def test_worst_case_cost(verdict):
    verdict(check_worst_case_cost(None), False)
    verdict(check_worst_case_cost(42), False)

    def prompt_only(messages, model, cap):
        return tokens.count_chat_tokens(messages) * models.get(model).input / 1e6

    assert "OUTPUT price" in verdict(check_worst_case_cost(prompt_only), False)

    def words_only(messages, model, cap):
        info = models.get(model)
        n = sum(tokens.count(m["content"]) for m in messages)
        return (n * info.input + cap * info.output) / 1e6

    assert "framing" in verdict(check_worst_case_cost(words_only), False)

    def one_price(messages, model, cap):
        return (tokens.count_chat_tokens(messages) + cap) * models.get(model).output / 1e6

    assert "INPUT price" in verdict(check_worst_case_cost(one_price), False)
    assert "MILLION" in verdict(check_worst_case_cost(
        lambda m, model, cap: worst_case_cost(m, model, cap) * 1000), False)
    verdict(check_worst_case_cost(lambda m, model, cap: None), False)
    verdict(check_worst_case_cost(worst_case_cost), True)

    def with_usage(messages, model, cap):  # the course's own helpers are fine too
        from course_lib.usage import Usage

        return Usage(input=tokens.count_chat_tokens(messages), output=cap).cost(model)

    verdict(check_worst_case_cost(with_usage), True)


def requests_within_budget(worst_costs, budget):  # the lesson's solution
    spent, sent = 0.0, 0
    for cost in worst_costs:
        if spent + cost > budget:
            break
        spent, sent = spent + cost, sent + 1
    return sent


def test_requests_within_budget(verdict):
    verdict(check_requests_within_budget(None), False)

    def after_the_fact(costs, budget):
        spent, sent = 0.0, 0
        for cost in costs:
            if spent > budget:
                break
            spent, sent = spent + cost, sent + 1
        return sent

    assert "one too many" in verdict(check_requests_within_budget(after_the_fact), False)

    def strict(costs, budget):
        spent, sent = 0.0, 0
        for cost in costs:
            if spent + cost >= budget:
                break
            spent, sent = spent + cost, sent + 1
        return sent

    assert "<=" in verdict(check_requests_within_budget(strict), False)

    def skipping(costs, budget):
        spent, sent = 0.0, 0
        for cost in costs:
            if spent + cost <= budget:
                spent, sent = spent + cost, sent + 1
        return sent

    assert "first request it refuses" in verdict(check_requests_within_budget(skipping), False)
    verdict(check_requests_within_budget(lambda costs, budget: "3"), False)
    verdict(check_requests_within_budget(requests_within_budget), True)
