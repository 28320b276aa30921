# IOP Guide: one command per job, the same locally and in CI.
#   make serve   live preview at http://127.0.0.1:8000
#   make test    every test (installs first)
# Every target installs what it needs into .venv first.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
# Where `make serve` listens. In a Codespace or container: make serve SERVE_ADDR=0.0.0.0:8000
SERVE_ADDR ?= 127.0.0.1:8000
# Material 9.8 prints an end-of-life banner on every build unless this is set (see decisions/).
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install serve build deploy-build check fix preview reviews check-online test lint typecheck readability bench audit lock clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

# The venv is rebuilt when requirements.txt changes.
$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed: install it, or run 'make PYTHON=python3 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

# Node packages for tests and audits: the Nu Html Checker (vnu-jar) and Lighthouse.
# --ignore-scripts: vnu-jar's install script would try to download a Java of its own.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Node.js and npm are needed: sudo apt-get install -y nodejs npm"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed ## Install the Python tools into .venv (all that serve/build/check need)

# --no-strict: a mistake never stops the preview; each page shows a banner listing the problems
# (while there are errors, the last good pages). python -m iopguide serve starts mkdocs serve,
# or, while mkdocs.yml cannot be read, serves a page naming the line to fix until it is fixed.
serve: install ## Live preview at http://127.0.0.1:8000 (rebuilds on every save)
	$(PY) -m iopguide serve --dev-addr $(SERVE_ADDR) --livereload --no-strict

build: install ## Build the site into site/ (fails on any warning)
	$(BIN)/mkdocs build --strict

# The build to publish: the same, but it fails unless SITE_URL is the public https:// address
# (canonical links and the sitemap use it). The deploy workflow runs this one; see DEPLOY.md.
deploy-build: install ## Build the site to publish (needs SITE_URL=https://your.address/)
	IOPGUIDE_DEPLOY=1 $(BIN)/mkdocs build --strict

# Every check in one run, every problem in one report (python -m iopguide check); site/ is not
# touched. `make check PAGE=docs/faq.md` shows only that page's problems.
# With GITHUB_ACTIONS=true it also prints GitHub annotations and writes the job summary.
PAGE ?=
check: install ## Every check, no browser; all problems at once (PAGE=docs/x.md: one page)
	@$(PY) -m iopguide check $(PAGE)

# The mechanical steps `make check` asks for (python -m iopguide fix): for a renamed page its
# redirect, menu entries, inbound links and translations; new pages into published-urls.txt; a
# pending record for a new DOI. Run it, look at the change (git diff), commit it. The pull-request workflow
# adds FIX_ARGS="--message FILE": the bot's commit message, naming the fixes.
FIX_ARGS ?=
fix: install ## Do the mechanical fixes make check asks for (renamed pages, new URLs, new DOIs)
	@$(PY) -m iopguide fix $(FIX_ARGS)

# The pull request preview (pr.yml): screenshots of the changed pages and the built site in
# preview/, and a table of those pages. Needs Chromium.
preview: build ## Screenshots (phone, desktop) and a summary of the pages this branch changes
	@rm -rf preview && mkdir -p preview
	@$(PY) -m iopguide pr-preview site --out preview/screenshots
	@cp -r site preview/site

reviews: install ## Pages overdue for review or due within 30 days (Markdown)
	@$(PY) -m iopguide reviews

# Both checks always run (one failing does not hide the other's report); the target fails if either did.
check-online: build ## Online checks (needs internet): DOI metadata and external links
	@status=0; \
	$(PY) -m iopguide dois --online || status=1; \
	$(PY) -m iopguide links site --external || status=1; \
	exit $$status

# `make test` runs the tests in parallel processes, one per CPU (pytest-xdist);
# `make test TEST_PROCESSES=0` runs them in one process.
TEST_PROCESSES ?= auto
test: install node_modules/.installed ## Every test, browser tests included
	$(BIN)/pytest -n $(TEST_PROCESSES)

lint: install ## Lint Python code and check its types (ruff, then mypy)
	$(BIN)/ruff check iopguide overrides tests bench
	$(BIN)/ruff format --check iopguide overrides tests bench
	@$(MAKE) --no-print-directory typecheck

# mypy, strict, on iopguide/ and overrides/hooks/ (settings: [tool.mypy] in pyproject.toml).
typecheck: install ## Check the Python types (mypy, strict)
	$(BIN)/mypy

readability: install ## Reading grade of every page
	$(PY) -m iopguide readability

bench: install ## Benchmarks (prints tables; see bench/RESULTS.md)
	$(PY) bench/run.py

audit: build node_modules/.installed ## Lighthouse scores (needs Node and Chromium)
	$(PY) bench/audit.py

lock: ## Re-pin requirements.txt from requirements.in (needs internet)
	$(PYTHON) -m venv .cache/lock-venv
	.cache/lock-venv/bin/pip install --quiet pip-tools
	.cache/lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --output-file requirements.txt requirements.in

clean: ## Remove build output
	rm -rf site .site.lock preview .pytest_cache .mypy_cache .cache
