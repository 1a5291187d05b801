# claimcmp: the README's two commands are `make seeds` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: env seeds test lint bench nli-model

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

# Rebuild models/claimcmp-nli-minilm-l6 (about 2 hours on 2 CPU cores; rerunning resumes): stage 1, stage 2,
# then the refit check against the weights it replaced (restored from commit 1416995) and the export.
NLI_CONFIG := models/recipes/nli_config.json
NLI_RUNS   := models/recipes/runs
nli-model: $(STAMP)
	$(BIN)/python models/recipes/train_nli.py --config $(NLI_CONFIG) --stage stage1
	$(BIN)/python models/recipes/train_nli.py --config $(NLI_CONFIG) --stage stage2
	mkdir -p $(NLI_RUNS)/previous-shipped
	git show 1416995:models/claimcmp-nli-minilm-l6/model.safetensors > $(NLI_RUNS)/previous-shipped/model.safetensors
	$(BIN)/python models/recipes/select_nli.py --config $(NLI_CONFIG) --stage select
	$(BIN)/python models/recipes/eval_nli.py --out models/claimcmp-nli-minilm-l6/eval_results.json
	sha256sum models/claimcmp-nli-minilm-l6/model.safetensors
