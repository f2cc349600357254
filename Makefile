# zhdoc — one command each: `make run` (set up + the main job on samples/), `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
OUT ?= out
STAMP := $(VENV)/.installed-dev
HANLP_STAMP := $(VENV)/.installed-hanlp

.PHONY: setup setup-hanlp browser run test test-core eval bench bench-instructions lint train-ner clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q -e '.[dev,dask]'
	touch $@

# The optional HanLP backend: CPU torch pinned in the same pip call (a bare "torch" would pull a
# multi-GB CUDA build); transformers < 5 (hanlp 2.1 breaks with 5).
setup-hanlp: $(HANLP_STAMP)

$(HANLP_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dev,hanlp]' torch==2.13.0
	touch $@

# The main job: convert the bundled samples, build a search index, run two searches.
run: setup
	$(VENV)/bin/zhdoc batch samples -o $(OUT)/json --format json
	$(VENV)/bin/zhdoc batch samples -o $(OUT)/records --format records
	$(VENV)/bin/zhdoc index $(OUT)/index.sqlite samples
	$(VENV)/bin/zhdoc search $(OUT)/index.sqlite 委员工作室 --limit 3
	$(VENV)/bin/zhdoc search $(OUT)/index.sqlite 提案 --limit 3
	$(VENV)/bin/zhdoc parse samples/01_changweihui.txt --format outline
	mkdir -p $(OUT)/view
	for f in samples/*.txt; do $(VENV)/bin/zhdoc view $$f -o $(OUT)/view/$$(basename $$f .txt).html || exit 1; done

# Debian's headless Chromium, its driver and a CJK font for the HTML view's browser tests, installed
# with apt-get when missing (as root). Without them those tests skip locally and fail under CI=true.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null; \
	  else echo "make browser: chromium/chromedriver missing (as root: apt-get install chromium chromium-driver)"; fi; \
	fi

# Everything, the HanLP backend's offline tests included (they train a tiny model first).
test: setup-hanlp browser
	$(PY) -m pytest -q -p no:cacheprovider

# Without the HanLP extra (its tests skip, saying why).
test-core: setup browser
	$(PY) -m pytest -q -p no:cacheprovider

eval: setup
	$(PY) -m pip install -q -e '.[dev,bench]'
	$(PY) bench/evaluate.py

bench: setup
	$(PY) -m pip install -q -e '.[dev,bench]'
	$(PY) bench/run.py

# the same comparison in machine instructions (valgrind), repeatable on a noisy machine
bench-instructions: setup
	$(PY) -m pip install -q -e '.[dev,bench]'
	$(PY) bench/instructions.py

# Distant supervision: train HanLP's BiLSTM tagger on zhdoc's rule output (see README: not shipped).
train-ner: setup-hanlp
	$(PY) bench/train_ner.py --corpus ../shared/corpus --out build/ner-model

lint: setup
	$(VENV)/bin/ruff check zhdoc tests bench models

clean:
	rm -rf $(OUT) build *.egg-info
