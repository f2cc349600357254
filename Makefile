# zhdoc — one command each: `make run` (set up + the main job on samples/), `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
OUT ?= out
STAMP := $(VENV)/.installed-dev

.PHONY: setup run test eval bench lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# The main job: convert the bundled samples, build a search index, run two searches.
run: setup
	$(VENV)/bin/zhdoc batch samples -o $(OUT)/json --format json
	$(VENV)/bin/zhdoc batch samples -o $(OUT)/records --format records
	$(VENV)/bin/zhdoc index $(OUT)/index.sqlite samples
	$(VENV)/bin/zhdoc search $(OUT)/index.sqlite 委员工作室 --limit 3
	$(VENV)/bin/zhdoc search $(OUT)/index.sqlite 提案 --limit 3
	$(VENV)/bin/zhdoc parse samples/01_changweihui.txt --format outline

test: setup
	$(PY) -m pytest -q -p no:cacheprovider

eval: setup
	$(PY) bench/evaluate.py

bench: setup
	$(PY) -m pip install -q -e '.[dev,bench]'
	$(PY) bench/run.py

lint: setup
	$(VENV)/bin/ruff check zhdoc tests bench models

clean:
	rm -rf $(OUT) build *.egg-info
