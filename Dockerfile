# The capstone chat API (course_lib.chat_api) as a container. compose.yaml runs it with a
# PostgreSQL beside it; in production point DATABASE_URL at a managed PostgreSQL instead.
#
#   docker build -t chat-api .
#   docker run -p 8000:8000 -e DATABASE_URL=postgresql://... -e OPENAI_API_KEY=... chat-api
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Dependencies first (cached until pyproject.toml or constraints.txt change), at the exact
# versions CI passed with.
COPY pyproject.toml constraints.txt README.md ./
COPY course_lib/__init__.py course_lib/__init__.py
RUN pip install -c constraints.txt -e .

# The package and the data it reads at run time (model table, the stand-in's corpus).
COPY course_lib course_lib
COPY data data

RUN useradd --create-home --uid 10001 chat
USER chat

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
# Stateless: add workers (or containers behind a load balancer) against one PostgreSQL.
CMD ["python", "-m", "course_lib.chat_api", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
