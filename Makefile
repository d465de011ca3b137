# Set-up and everyday commands. `make` builds the reports, `make test` runs every check.
# Both create .venv/ and install what is missing; system packages are installed when
# running as root, otherwise named so that you can install them.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

# WeasyPrint's libraries; libharfbuzz-subset0 makes font subsetting twice as fast.
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0
# LibreOffice re-saves DOCX files in the round-trip tests, as a translator's would.
TEST_DEBS := libreoffice-writer-nogui

.DEFAULT_GOAL := all
.PHONY: all reports test lint typecheck pytest bench clean system-runtime system-test

all: reports

reports: $(VENV)/.runtime
	$(PY) generate.py

test: $(VENV)/.test lint typecheck pytest

lint: $(VENV)/.test
	$(VENV)/bin/ruff check briefing tests bench generate.py

typecheck: $(VENV)/.test
	$(VENV)/bin/mypy

pytest: $(VENV)/.test
	$(VENV)/bin/pytest

bench: $(VENV)/.test
	$(PY) bench/bench_sheet.py

# Installs or names the Debian packages given as $(1).
define ensure_debs
	@missing=""; \
	for package in $(1); do \
	  dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Missing system packages:$$missing"; \
	    echo "Install them with: sudo apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi
endef

system-runtime:
	$(call ensure_debs,$(RUNTIME_DEBS))
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv; \
	  else echo "Missing system package: python3-venv (sudo apt-get install python3-venv)"; exit 1; fi; }

system-test: system-runtime
	$(call ensure_debs,$(TEST_DEBS))

# The system packages come first: creating the venv needs python3-venv on Debian. A venv
# whose creation failed half-way has no pip, and is made again.
$(VENV)/bin/pip:
	$(MAKE) --no-print-directory system-runtime
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(VENV)/bin/pip
	$(MAKE) --no-print-directory system-runtime
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.runtime
	$(MAKE) --no-print-directory system-test
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf reports $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
