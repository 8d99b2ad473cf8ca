# The association site. `make html` builds, `make test` tests; both set themselves up.
PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Two stamps: building needs requirements.txt only; tests and lint add requirements-dev.txt.
STAMP := $(VENV)/.installed-build
DEV_STAMP := $(VENV)/.installed-dev
PORT ?= 8000
# make publish builds here, so that output/ (make html, make serve) keeps working as a preview.
PUBLISH_DIR ?= output.publish
BUILD_FLAGS := $(if $(DEBUG),--debug,)

.PHONY: html publish serve devserver editor new test lint format clean translations bench zetkin newsletter newsletter-send

# The package itself is installed editable: the commands import it, and edits apply at once.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(DEV_STAMP)

html: $(STAMP)
	@$(PY) -m foreningssajt.cli.build $(BUILD_FLAGS)

publish: $(STAMP)
	@$(PY) -m foreningssajt.cli.build --publish --output $(PUBLISH_DIR) $(BUILD_FLAGS)

serve: $(STAMP)
	@$(PY) -m foreningssajt.cli.serve --port $(PORT)

devserver: $(STAMP)
	@$(PY) -m foreningssajt.cli.devserver --port $(PORT)

# The web editor at /admin/ against this folder, next to the live preview (docs/guide/publicera.md).
editor: $(STAMP)
	@$(PY) -m foreningssajt.cli.editor --port $(PORT)

# A new post, event, report or minute with a valid header: two questions in Swedish
# (or make new TYP=nyhet RUBRIK="Vårens studiecirkel").
new: $(STAMP)
	@$(PY) -m foreningssajt.cli.new $(if $(TYP),"$(TYP)") $(if $(RUBRIK),"$(RUBRIK)")

test: $(DEV_STAMP)
	@bash tests/tools/ensure.sh
	@$(PY) -m pytest $(PYTEST_ARGS)

# The newsletter as email into newsletter-out/ (docs/guide/nyhetsbrev.md): the newest,
# or N=2026-03 / N=<file>. newsletter-send also sends it (SMTP_* and NEWSLETTER_RECIPIENTS).
newsletter: $(STAMP)
	@$(PY) -m foreningssajt.cli.newsletter $(if $(N),"$(N)") $(BUILD_FLAGS)

newsletter-send: $(STAMP)
	@$(PY) -m foreningssajt.cli.newsletter --send $(if $(RESEND_UNCERTAIN),--resend-uncertain) $(if $(N),"$(N)") $(BUILD_FLAGS)

# Zetkin's public events into data/zetkin-events.json (docs/zetkin.md); review and commit the file.
zetkin: $(STAMP)
	@$(PY) -m foreningssajt.cli.zetkin

# The benchmark against plain Pelican (bench/README.md); sizes: make bench BENCH_ARGS="--posts 200".
bench: $(DEV_STAMP)
	@$(PY) bench/run.py $(BENCH_ARGS)

lint: $(DEV_STAMP)
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(DEV_STAMP)
	@$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

translations: $(STAMP)
	@$(VENV)/bin/pybabel extract -F foreningssajt/theme/babel.cfg -o foreningssajt/theme/translations/messages.pot foreningssajt/theme/templates
	@$(VENV)/bin/pybabel update -i foreningssajt/theme/translations/messages.pot -d foreningssajt/theme/translations -l en
	@# The build's messages: Swedish ids in SiteError(path, key, "…"), Invalid("…"), N_("…"), _("…").
	@$(VENV)/bin/pybabel extract -F foreningssajt/babel.cfg -k SiteError:3 -k Invalid:1 -k N_ \
		-o foreningssajt/siteconfig/translations/messages.pot foreningssajt
	@$(VENV)/bin/pybabel update -i foreningssajt/siteconfig/translations/messages.pot -d foreningssajt/siteconfig/translations \
		-l en --no-fuzzy-matching

clean:
	rm -rf output $(PUBLISH_DIR) .cache .pytest_cache
