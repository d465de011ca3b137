# Set-up and everyday commands. `make` builds the reports, `make test` runs every check.
# Both create .venv/ and install what is missing; system packages are installed when
# running as root, otherwise named so that you can install them.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# pip's own chatter (version checks, build back-end banners) is not for the user.
PIP := env PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONWARNINGS=ignore $(PY) -m pip --quiet
# Runs a set-up command with its output (pip's notices, setuptools' editable-install banner)
# in a log that is shown only if the command fails.
QUIETLY := sh -c 'log=$$(mktemp); "$$@" > "$$log" 2>&1 || { status=$$?; cat "$$log"; \
	rm -f "$$log"; exit $$status; }; rm -f "$$log"' quietly
# Where `make test` installs the built wheel, as a user without the source tree would.
WHEEL_VENV := build/wheel-venv

# WeasyPrint's libraries; libharfbuzz-subset0 makes font subsetting twice as fast.
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0
# LibreOffice re-saves DOCX files in the round-trip tests, as a translator's would.
TEST_DEBS := libreoffice-writer-nogui

.DEFAULT_GOAL := all
.PHONY: all reports test lint typecheck pytest wheel-check bench clean system-runtime system-test \
        python-venv

all: reports

reports: $(VENV)/.runtime
	@$(PY) generate.py

test: lint typecheck pytest wheel-check

lint: $(VENV)/.test
	@printf 'ruff: ' && $(VENV)/bin/ruff check briefing tests bench generate.py
	@out=$$($(VENV)/bin/lint-imports --no-cache 2>&1); status=$$?; \
	  if [ $$status = 0 ]; then printf '%s\n' "$$out" | sed -n 's/^Contracts: /import-linter: contracts /p'; \
	  else printf '%s\n' "$$out"; exit $$status; fi

typecheck: $(VENV)/.test
	@printf 'mypy: ' && $(VENV)/bin/mypy

pytest: $(VENV)/.test
	@$(VENV)/bin/pytest -q --durations=15

# The wheel holds every subpackage: installed on its own, it checks and builds a sheet.
wheel-check: $(VENV)/.test
	@echo "Building the wheel and trying it in a fresh virtual environment"
	@rm -rf build/dist $(WHEEL_VENV)
	@$(QUIETLY) $(PIP) wheel --no-deps --wheel-dir build/dist .
	@$(QUIETLY) $(PYTHON) -m venv $(WHEEL_VENV)
	@$(QUIETLY) env PIP_DISABLE_PIP_VERSION_CHECK=1 $(WHEEL_VENV)/bin/python -m pip --quiet \
	  install build/dist/briefing-*.whl
	@$(QUIETLY) sh -c 'cd build && wheel-venv/bin/briefing --root .. check \
	  && wheel-venv/bin/briefing --root .. build --sheet budapest-process \
	     --output wheel-reports && test -s wheel-reports/budapest-process.pdf'
	@echo "The installed wheel checked the data and built a sheet"

bench: $(VENV)/.test
	$(PY) bench/bench_sheet.py

# Installs or names the Debian packages given as $(1); apt's own output goes to a log
# that is shown only if it fails.
define ensure_debs
	@missing=""; \
	for package in $(1); do \
	  dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    log=$$(mktemp); \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $$missing; } > "$$log" 2>&1 \
	      || { cat "$$log"; rm -f "$$log"; exit 1; }; \
	    rm -f "$$log"; \
	  else \
	    echo "Missing system packages:$$missing"; \
	    echo "Install them with: sudo apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi
endef

system-runtime:
	$(call ensure_debs,$(RUNTIME_DEBS))
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || $(MAKE) --no-print-directory python-venv

# Debian's python3 makes virtual environments only with python3-venv.
python-venv:
	$(call ensure_debs,python3-venv)

system-test:
	$(call ensure_debs,$(TEST_DEBS))

# A venv whose creation failed half-way has no pip, and is made again.
$(VENV)/bin/pip: | system-runtime
	@echo "Creating $(VENV)/"
	@rm -rf $(VENV)
	@$(QUIETLY) $(PYTHON) -m venv $(VENV)
	@$(QUIETLY) $(PIP) install --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(VENV)/bin/pip system-runtime
	@echo "Installing briefing and its dependencies into $(VENV)/"
	@$(QUIETLY) $(PIP) install -e .
	@touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.runtime | system-test
	@echo "Installing the test dependencies into $(VENV)/"
	@$(QUIETLY) $(PIP) install -e '.[test]'
	@touch $@

clean:
	rm -rf reports $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
