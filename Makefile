# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
OUT ?= data/out

.PHONY: setup run test bench pdfs clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned: the CPU build that lies on this machine's disk.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) cli.py run data/raw --out $(OUT)

test: setup
	bash scripts/install_browser.sh
	$(PY) -m pytest -q

pdfs: setup
	$(PY) scripts/make_sample_pdfs.py

bench: setup
	$(PY) benchmarks/bench_ingest.py

clean:
	rm -rf $(OUT)/* $(VENV)
