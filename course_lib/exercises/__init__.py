"""Checks for the course's exercises, one module per lesson.

Where things go:

- checks for lesson 7.NN live in ``lesson_7_NN.py`` (two digits: 7.3 is ``lesson_7_03.py``,
  7.20 is ``lesson_7_20.py``); their tests in ``tests/exercises/test_lesson_7_NN.py``;
- a Q&A or "problem" lesson's quiz is ``QUIZ_7_NN`` (a :class:`course_lib.quiz.Quiz`) with
  ``check_quiz_7_NN(answers)``;
- helpers that several lessons share live in private modules: ``_report.py`` (verdicts,
  running a student's code) and ``_replies.py`` (reading reply text from either provider).

Each lesson module lists its public names in ``__all__``; this package imports every lesson
module (add a new one to the import and to ``LESSONS`` below) and re-exports those names, so
lessons write
``from course_lib.exercises import check_fits_window, verify_solution``. A test fails when
two modules export the same name.

Each check prints lines that read right as plain text, ending with ``✅ PASS: ...`` or
``❌ NOT YET: ...`` (a hint that never gives the answer away), and returns a
:class:`Verdict` (truthy if passed, silent as a cell's last expression). It never raises,
whatever it is given, so a student's notebook keeps running. Checks accept any correct
answer, from any provider: they test the property asked for, not one exact string.
Solution cells call ``verify_solution(check_x, answer)``: silent on a pass, raises otherwise.

    >>> verdict = check_fits_window(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
    >>> verify_solution(check_quiz_7_07, QUIZ_7_07.solution)
"""

from course_lib.exercises import (
    _report,
    lesson_7_00,
    lesson_7_01,
    lesson_7_02,
    lesson_7_03,
    lesson_7_04,
    lesson_7_05,
    lesson_7_06,
    lesson_7_07,
    lesson_7_08,
    lesson_7_09,
    lesson_7_10,
    lesson_7_11,
    lesson_7_12,
    lesson_7_13,
    lesson_7_14,
    lesson_7_15,
    lesson_7_16,
    lesson_7_17,
    lesson_7_18,
    lesson_7_19,
    lesson_7_20,
    lesson_7_21,
    lesson_7_22,
    lesson_7_23,
    lesson_7_24,
    lesson_7_25,
    lesson_7_26,
    lesson_7_27,
    lesson_7_28,
    lesson_7_29,
    lesson_7_30,
    lesson_7_31,
)

# Every lesson module, in course order; each one's __all__ is merged into this package's.
LESSONS = (
    lesson_7_00, lesson_7_01, lesson_7_02, lesson_7_03, lesson_7_04, lesson_7_05, lesson_7_06,
    lesson_7_07, lesson_7_08, lesson_7_09, lesson_7_10, lesson_7_11, lesson_7_12, lesson_7_13,
    lesson_7_14, lesson_7_15, lesson_7_16, lesson_7_17, lesson_7_18, lesson_7_19, lesson_7_20,
    lesson_7_21, lesson_7_22, lesson_7_23, lesson_7_24, lesson_7_25, lesson_7_26, lesson_7_27,
    lesson_7_28, lesson_7_29, lesson_7_30, lesson_7_31,
)

__all__: list[str] = []
for _module in (_report, *LESSONS):
    globals().update({name: getattr(_module, name) for name in _module.__all__})
    __all__ += _module.__all__
del _module
