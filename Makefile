# PhysioLine: `make demo` starts the app on the demo database; `make test` runs every check.
# Both create the virtual environment .venv on first use.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck venv forms clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# A venv made before PySide6 was capped below 6.12 holds PySide6_Pdf 6.12, which shares
	@# QtPdf's files with PySide6-Addons 6.11: take the whole binding out and install it afresh.
	@if $(PY) -c "import importlib.metadata as m; m.version('PySide6_Pdf')" 2>/dev/null; then \
		$(PY) -m pip uninstall --quiet --yes PySide6_Pdf PySide6-Addons PySide6-Essentials \
			shiboken6; fi
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## Start PhysioLine on the demo database (created with demo data on first use).
demo: $(STAMP)
	$(VENV)/bin/physioline --demo $(ARGS)

## Lint, type-check, check the protocols and the import rules, then run the tests.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(VENV)/bin/physioline protocols check
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

forms: $(STAMP)
	$(PY) tools/build_forms.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
