"""Checks for the course's exercises: ``check_*`` functions with helpful messages.

Each check prints one line (✅ or ❌ with a hint) and returns True/False; it never raises,
whatever it is given (``_report.never_raises``), so a student's notebook keeps running.
Quiz checks print one line per question, then a single ✅/❌ verdict with the score.
Checks accept any correct answer, from any provider: they test the property asked for, not
one exact string.

One module per group of lessons; everything is re-exported here so lessons write
``from course_lib.exercises import check_token_count``.
"""

from course_lib.exercises._report import Verdict, report, verify_solution
from course_lib.exercises.section_a import *  # noqa: F403
from course_lib.exercises.section_a_prediction import *  # noqa: F403
from course_lib.exercises.section_a_sampling import *  # noqa: F403
from course_lib.exercises.section_b_api import *  # noqa: F403
from course_lib.exercises.section_b_parameters import *  # noqa: F403

__all__ = ["Verdict", "report", "verify_solution"]

# Temporary lesson-numbered quiz names, until the exercises move into lesson_7_NN.py modules.
QUIZ_7_00, check_quiz_7_00 = MAGIC_QUIZ, check_magic_quiz  # noqa: F405
QUIZ_7_06, check_quiz_7_06 = quiz_7_6(), check_quiz_7_6  # noqa: F405
QUIZ_7_07, check_quiz_7_07 = API_QUIZ, check_api_quiz  # noqa: F405
QUIZ_7_13, check_quiz_7_13 = OPENAI_QA_QUIZ, check_openai_qa_quiz  # noqa: F405
