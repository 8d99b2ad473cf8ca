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

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(DEV_STAMP)

html: $(STAMP)
	@$(PY) tools/build.py $(BUILD_FLAGS)

publish: $(STAMP)
	@$(PY) tools/build.py --publish --output $(PUBLISH_DIR) $(BUILD_FLAGS)

serve: $(STAMP)
	@$(PY) tools/serve.py --port $(PORT)

devserver: $(STAMP)
	@$(PY) tools/devserver.py --port $(PORT)

# The web editor at /admin/ against this folder, next to the live preview (docs/guide/publicera.md).
editor: $(STAMP)
	@$(PY) tools/editor.py --port $(PORT)

# A new post, event, report or minute with a valid header: two questions in Swedish
# (or make new TYP=nyhet RUBRIK="Vårens studiecirkel").
new: $(STAMP)
	@$(PY) tools/new.py $(if $(TYP),"$(TYP)") $(if $(RUBRIK),"$(RUBRIK)")

test: $(DEV_STAMP)
	@bash tests/tools/ensure.sh
	@$(PY) -m pytest $(PYTEST_ARGS)

# The newsletter as email into newsletter-out/ (docs/guide/nyhetsbrev.md): the newest,
# or N=2026-03 / N=<file>. newsletter-send also sends it (SMTP_* and NEWSLETTER_RECIPIENTS).
newsletter: $(STAMP)
	@$(PY) tools/newsletter.py $(if $(N),"$(N)") $(BUILD_FLAGS)

newsletter-send: $(STAMP)
	@$(PY) tools/newsletter.py --send $(if $(RESEND_UNCERTAIN),--resend-uncertain) $(if $(N),"$(N)") $(BUILD_FLAGS)

# Zetkin's public events into data/zetkin-events.json (docs/zetkin.md); review and commit the file.
zetkin: $(STAMP)
	@$(PY) tools/zetkin.py

# The benchmark against plain Pelican (bench/README.md); sizes: make bench BENCH_ARGS="--posts 200".
bench: $(DEV_STAMP)
	@$(PY) bench/run.py $(BENCH_ARGS)

lint: $(DEV_STAMP)
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(DEV_STAMP)
	@$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

translations: $(STAMP)
	@$(VENV)/bin/pybabel extract -F theme/babel.cfg -o theme/translations/messages.pot theme/templates
	@$(VENV)/bin/pybabel update -i theme/translations/messages.pot -d theme/translations -l en
	@# The build's messages: Swedish ids in SiteError(path, key, "…"), Invalid("…"), N_("…"), _("…").
	@$(VENV)/bin/pybabel extract -F plugins/babel.cfg -k SiteError:3 -k Invalid:1 -k N_ \
		-o plugins/siteconfig/translations/messages.pot plugins tools
	@$(VENV)/bin/pybabel update -i plugins/siteconfig/translations/messages.pot -d plugins/siteconfig/translations \
		-l en --no-fuzzy-matching

clean:
	rm -rf output $(PUBLISH_DIR) .cache .pytest_cache
