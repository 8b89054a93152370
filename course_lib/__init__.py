"""course_lib: the small library under the course "LLM APIs: The Hard Parts".

Import the piece you need; nothing heavy is imported here, so ``import course_lib`` is fast:

    from course_lib.clients import openai_client, anthropic_client
    from course_lib import tokens, models, offline
    from course_lib.tools import calculator
"""

__version__ = "0.1.0"
