"""The self-assessment: ratings in any accepted form, the plan, and the headless text view."""

from pathlib import Path

import pytest

from course_lib.selfcheck import INDEPENDENCE_CHECK, RATINGS, Level, SelfCheck

ROOT = Path(__file__).resolve().parent.parent
CHECK = SelfCheck(
    [Level("Know", ["What is a token?"], [("7.3 Tokens", "a/7.03.ipynb")]),
     Level("Apply", ["Build it."], [("7.12 Streaming", "b/7.12.ipynb"), ("7.15", "c/7.15.ipynb")])],
    next_step=("the capstone", "cap.ipynb"),
)


@pytest.mark.parametrize("given", [["a", "c"], [0, 2], "ac", "a, c)", {"know": "not yet",
                                    "Apply": "C"}, ("A)", "on my own")])
def test_every_accepted_form_of_ratings_gives_the_same_plan(given):
    assert CHECK.ratings(given) == [0, 2]
    assert CHECK.plan(given) == ("Know: not yet. Revisit 7.3 Tokens (a/7.03.ipynb).\n"
                                 "Apply: on my own.\nNext: the capstone (cap.ipynb).")


@pytest.mark.parametrize("given", [None, [], "", ["x"], [7], [True], {"Create": "a"}])
def test_missing_or_unreadable_ratings_are_listed_as_unrated(given):
    assert CHECK.ratings(given) == [None, None]
    assert CHECK.plan(given).splitlines()[:2] == ["Know: not rated yet.", "Apply: not rated yet."]


def test_with_my_notes_lists_every_lesson_to_revisit():
    assert CHECK.plan(["c", "b"]).splitlines()[1] == (
        "Apply: with my notes. Revisit 7.12 Streaming (b/7.12.ipynb), 7.15 (c/7.15.ipynb).")


def test_too_many_ratings_are_cut_to_the_levels():
    assert CHECK.ratings(["a", "b", "c"]) == [0, 1]


def test_the_text_view_lists_the_scale_and_every_question():
    text = CHECK.text()
    assert all(r in text.splitlines()[0] for r in RATINGS)
    assert "  - What is a token?" in text and "  - Build it." in text
    assert repr(CHECK) == f"Independence Check\n{text}"


def test_headless_the_widget_reads_as_the_text():
    view = CHECK.show()
    assert repr(view) == repr(CHECK)
    bundle = view._repr_mimebundle_()
    assert bundle["text/plain"] == repr(CHECK)
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_the_widget_shows_the_plan_with_links_when_asked():
    widget = CHECK.widget()
    buttons = [w for w in widget.children if type(w).__name__ == "ToggleButtons"]
    show = next(w for w in widget.children if type(w).__name__ == "Button")
    plan = widget.children[-1]
    assert len(buttons) == 2 and all(b.value is None for b in buttons)
    buttons[0].value = 1
    show.click()
    assert "Know</b>: with my notes." in plan.value and 'href="a/7.03.ipynb"' in plan.value
    assert "Apply</b>: not rated yet." in plan.value
    assert '<a href="cap.ipynb" target="_blank">the capstone</a>' in plan.value


def test_no_next_step_means_no_next_line():
    assert SelfCheck([Level("Know", ["?"])]).plan(["b"]) == "Know: with my notes."


def test_module_7_check_has_the_seeds_five_levels():
    assert [level.name for level in INDEPENDENCE_CHECK.levels] == [
        "Know", "Understand", "Apply", "Analyze", "Create"]
    assert "What is a token?" in INDEPENDENCE_CHECK.levels[0].questions
    assert INDEPENDENCE_CHECK.next_step[1] == "../capstone/chat-api.ipynb"


def test_module_7_links_resolve_from_a_section_folder_or_name_a_lesson_being_written():
    # Lessons written on other branches (7.15, 7.22, 7.24, 7.27, 7.28) may not exist yet;
    # a link must still point into a real section folder with the course's file-name pattern.
    here = ROOT / "notebooks" / "e-context-engineering"
    for level in INDEPENDENCE_CHECK.levels:
        for _label, link in level.revisit:
            target = (here / link).resolve()
            assert target.parent.parent == ROOT / "notebooks", link
            assert target.name.startswith("7.") and target.suffix == ".ipynb", link
