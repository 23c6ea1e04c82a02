# The two set-up commands of the README: `make demo` (the main job on the embedded sample) and
# `make test`. Both create .venv and install what the project needs on a machine with Python 3.11.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint schemas docs clean bench locale catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) catalogs

# Message catalogs (src/ti_cli/locale): `make locale` extracts every _("…") of the code and updates the
# French catalog; `catalogs` compiles the .po files to the .mo that ti reads (the wheel's build does too).
LOCALE := src/ti_cli/locale
MO := $(patsubst %.po,%.mo,$(wildcard $(LOCALE)/*/LC_MESSAGES/*.po))

$(LOCALE)/%.mo: $(LOCALE)/%.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

catalogs: $(MO)

locale: $(STAMP)
	@mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg --no-wrap --add-location=file --project=ti -o build/ti.pot src/ti_cli templates/serve
	$(BIN)/pybabel -q update -i build/ti.pot -d $(LOCALE) -D ti -l fr --no-wrap --no-fuzzy-matching \
	    --ignore-pot-creation-date --ignore-obsolete
	$(MAKE) catalogs

SAMPLE := rochefort-royan-marennes-oleron
PLAN   := rochefort-royan-marennes-oleron-2023

# The main job on the embedded sample: check everything, add up the money, write the documents.
demo: $(STAMP) catalogs
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

test: $(STAMP) catalogs
	$(BIN)/ruff check src tests
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests

schemas: $(STAMP) catalogs
	$(BIN)/ti schema --output schemas

docs: $(STAMP) catalogs
	TI_LANG=fr $(BIN)/python -m ti_cli.rules.docs > docs/rules.md
	TI_LANG=en $(BIN)/python -m ti_cli.rules.docs > docs/rules.en.md
	for lang in fr en; do TI_LANG=$$lang $(BIN)/python -c "from ti_cli.cli import help_page; \
	    print(help_page(), end='')" > src/ti_cli/help.$$lang.txt; done

bench: $(STAMP) catalogs
	$(BIN)/python bench/run.py
	$(BIN)/python bench/precommit.py
	$(BIN)/python bench/pdf.py

clean:
	rm -rf $(VENV) .pytest_cache .ti-cache build src/*.egg-info
