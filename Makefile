# The two set-up commands of the README: `make demo` (the main job on the embedded sample) and
# `make test`. Both create .venv and install what the project needs on a machine with Python 3.11.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test test-wheel test-latest check lint format lock schemas docs clean bench locale catalogs

# What CI tests is what was tested: every package at the version of requirements/lock.txt (`make lock`
# resolves it again, for every platform; commit the result). The ranges of pyproject.toml stay open for
# users; `make test-latest` tries the newest versions they allow.
LOCK := requirements/lock.txt

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	PIP_CONSTRAINT=$(abspath $(LOCK)) $(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --quiet \
	    --no-header --no-annotate -o $(LOCK)

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
	$(BIN)/ti report copil $(PLAN) --to pptx --to pdf --output out/
	$(BIN)/ti render contract $(PLAN) --to md --to pdf --output out/$(PLAN)/
	@echo "Documents written to out/ (Markdown, HTML, Word, PDF) and out/$(SAMPLE)-actions.xlsx"

# The code judged (format, lint, strict types, layers), then the tests, coverage measured in the
# subprocesses too. The slow wheel test is its own target (`make test-wheel`); .ci/run runs both.
test: check $(STAMP) catalogs
	$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest -n auto -m "not wheel"
	@$(BIN)/coverage combine -q && $(BIN)/coverage report --format=total | sed 's/^/coverage: /; s/$$/ %/'

test-wheel: $(STAMP) catalogs
	$(BIN)/pytest -m wheel

check: $(STAMP)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

lint: check

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# The suite against the newest versions pyproject.toml allows, in a venv of its own: run before each
# release, and when CI's lock is to be refreshed (then `make lock`).
LATEST := .venv-latest
test-latest:
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/pip install --quiet --upgrade pip
	$(LATEST)/bin/pip install --quiet --upgrade -e '.[dev]'
	$(LATEST)/bin/pybabel -q compile -d $(LOCALE) -D ti
	$(LATEST)/bin/pip list --format=freeze | grep -v '^ti-cli' > $(LATEST)/versions.txt
	$(MAKE) test VENV=$(LATEST) STAMP=$(LATEST)/versions.txt

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
	$(BIN)/python bench/copil.py

clean:
	rm -rf $(VENV) $(LATEST) .pytest_cache .ti-cache build src/*.egg-info
