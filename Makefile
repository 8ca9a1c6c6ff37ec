# Quick start: `make demo` (set up everything, make the demo map), then `make test`.
VENV ?= .venv

.PHONY: demo test lint bench wheel-check

demo:
	bash scripts/setup.sh

test:
	$(VENV)/bin/python -m pytest

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

wheel-check:
	bash scripts/wheel_check.sh
