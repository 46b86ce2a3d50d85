# workbench: `make demo` and `make test` are all a fresh clone needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup demo test lab bench notebooks clean system-packages

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-6s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml workbench/ingest/_tokens.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name workbench --display-name "Python (workbench)" >/dev/null
	@$(MAKE) --no-print-directory system-packages
	touch $(STAMP)

# Debian packages the tests use: chromium (the chat app in a real browser, via Playwright's
# Python client; no browser download) and postgresql (a throwaway server on a loopback port that
# the test fixtures start: SQL sources and targets, the Transform DSL on PostgreSQL). Installed when missing and running as root; otherwise
# the tests that need them skip and say why.
SYSTEM_PACKAGES := chromium postgresql
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "not installed (tests that need them will skip):$$missing"; fi; \
	fi

setup: $(STAMP) ## create .venv, install the package with dev tools, register the Jupyter kernel

demo: $(STAMP) ## run every pipeline offline on its sample data; reports land in reports/
	$(BIN)/workbench demo --workspace .
	@echo "open reports/<pipeline>/<run_id>/index.html (see: $(BIN)/workbench runs --workspace .)"

test: $(STAMP) ## run the whole test suite (unit, CLI integration, every notebook with nbval)
	$(BIN)/python -m pytest -q

lab: $(STAMP) ## JupyterLab on the notebooks, with this workspace
	$(BIN)/workbench lab --workspace .

notebooks: $(STAMP) ## sync every stage notebook's parameters and open-stage cells from its pipeline
	WORKBENCH_PLUGINS=toy_pipeline:register_pipelines PYTHONPATH=tests $(BIN)/workbench notebooks sync

BENCH_ARGS ?=
bench: $(STAMP) ## run the benchmarks, each printing its figures and a ratio (BENCH_ARGS=--quick: small)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b $(BENCH_ARGS) || exit 1; done

clean: ## remove the virtualenv, workspace data and rendered reports
	rm -rf $(VENV) data reports .pytest_cache *.egg-info
