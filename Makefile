# The two set-up commands of the README: `make demo` (the main job on the embedded sample) and
# `make test`. Both create .venv and install what the project needs on a machine with Python 3.11.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint schemas docs clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

SAMPLE := rochefort-royan-marennes-oleron
PLAN   := rochefort-royan-marennes-oleron-2023

# The main job on the embedded sample: check everything, add up the money, write the documents.
demo: $(STAMP)
	$(BIN)/ti validate data/
	$(BIN)/ti totals $(SAMPLE) --by axis
	$(BIN)/ti totals $(SAMPLE) --format xlsx --output out/$(SAMPLE)-actions.xlsx
	$(BIN)/ti share $(SAMPLE) chef-de-projet-finistere --per-year 2
	$(BIN)/ti report quarterly $(SAMPLE) --to md --to html --to docx --to pdf --output out/
	$(BIN)/ti render contract $(SAMPLE) --to md --to html --to docx --to pdf --output out/
	$(BIN)/ti pacte status $(SAMPLE)
	$(BIN)/ti pacte report $(SAMPLE) --to md --to pdf --output out/
	$(BIN)/ti totals $(PLAN) --by stage
	$(BIN)/ti report evaluation $(PLAN) --to md --to html --to docx --to pdf --output out/
	$(BIN)/ti render contract $(PLAN) --to md --to pdf --output out/$(PLAN)/
	@echo "Documents written to out/ (Markdown, HTML, Word, PDF) and out/$(SAMPLE)-actions.xlsx"

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests

schemas: $(STAMP)
	$(BIN)/ti schema --output schemas

docs: $(STAMP)
	$(BIN)/python -m ti_cli.rules.docs > docs/rules.md
	$(BIN)/python -c "from ti_cli.cli import help_page; print(help_page(), end='')" > src/ti_cli/help.txt

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/precommit.py
	$(BIN)/python bench/pdf.py

clean:
	rm -rf $(VENV) .pytest_cache .ti-cache build src/*.egg-info
