# claimcmp: the README's two commands are `make seeds` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: env seeds test lint bench

# torch==2.13.0 first (a local CPU wheel here; a bare torch requirement pulls a multi-GB CUDA build)
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

env: $(STAMP)

seeds: $(STAMP)
	$(BIN)/claimcmp compare --seeds --out out/seeds

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check claimcmp tests benchmarks models/recipes
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks
