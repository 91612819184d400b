# The two commands a newcomer needs: `make dev` and `make test`. Both install what they need.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MOTO_PORT ?= 5005
TIME_SCALE ?= 1
# Demo clocks: schedules TIME_SCALE times faster, deadlines DEADLINE_SCALE times faster
# (make dev TIME_SCALE=60 DEADLINE_SCALE=480: a missed deadline escalates within a minute).
DEADLINE_SCALE ?= 1
# make dev DEMO_HISTORY=no: start without the 90 days of demo reports.
DEMO_HISTORY ?= yes
# The shared layer, the CDK app and the local stack are top-level packages, as on Lambda.
export PYTHONPATH := $(CURDIR)/layers/shared/python:$(CURDIR)/infra/cdk:$(CURDIR)/infra/local
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: install dev test lint format synth deploy check-rules token totp clean bench bench-site bench-soak bench-faults bench-capacity checkov web console web-test

$(VENV)/.installed: requirements.txt layers/shared/requirements.txt layers/photos/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip<26.3"  # chalice 1.34 packages with pip < 26.3
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Lambda-platform wheels for the shared and the photos layers: the one step that needs PyPI; synth
# then works offline.
WHEELHOUSE_STAMP := infra/cdk/.build/wheelhouse/requirements.sha256
PHOTO_WHEELHOUSE_STAMP := infra/cdk/.build/wheelhouse-photos/requirements.sha256
$(WHEELHOUSE_STAMP) $(PHOTO_WHEELHOUSE_STAMP) &: layers/shared/requirements.txt layers/photos/requirements.txt $(VENV)/.installed
	$(PY) -m phananh_cdk.layer download
	touch $(WHEELHOUSE_STAMP) $(PHOTO_WHEELHOUSE_STAMP)

install: $(VENV)/.installed $(WHEELHOUSE_STAMP) $(PHOTO_WHEELHOUSE_STAMP)

# checkov (tests/infra/test_checkov.py) pins older boto3, botocore, networkx and packaging than
# requirements.txt: it gets a virtualenv of its own.
CHECKOV_VENV := .venv-checkov
$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet -r requirements-checkov.txt
	touch $@

checkov: $(CHECKOV_VENV)/.installed

# The web apps (web/: one npm project): the console and the public site, built together when anything
# under web/ but its packages, its output and the generated API types changed, or the API's spec did.
WEB_INSTALLED := web/node_modules/.installed
CONSOLE := web/dist/console/index.html
SITE := web/dist/site/index.html
WEB_APPS := $(CONSOLE) $(SITE)
OPENAPI := functions/submit/chalicelib/openapi.json
WEB_SOURCES := $(filter-out web/shared/api/schema.d.ts %.tsbuildinfo,$(shell find web \
	\( -path web/node_modules -o -path web/dist \) -prune -o -type f -print 2>/dev/null))

$(WEB_INSTALLED): web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

$(WEB_APPS) &: $(WEB_INSTALLED) $(WEB_SOURCES) $(OPENAPI)
	cd web && npm run build
	touch $(WEB_APPS)

web: $(WEB_APPS)
console: web

# The web code's type check (against the types generated from openapi.json) and unit tests.
web-test: $(WEB_INSTALLED)
	cd web && npm run check && npm test

# The browser tests drive Debian's Chromium (Playwright's own browser builds cannot be downloaded here).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && apt-get install -y -qq chromium fonts-noto-core

dev: install $(WEB_APPS)
	$(PY) -m phananh_local --port $(PORT) --moto-port $(MOTO_PORT) --time-scale $(TIME_SCALE) --deadline-scale $(DEADLINE_SCALE) \
		$(if $(filter no,$(DEMO_HISTORY)),--no-demo-history,--demo-history)

test: install lint checkov web-test $(WEB_APPS) $(CHROMIUM)
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/vulture --min-confidence 80 layers functions
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff format .

# The web apps' builds go into the template (a synth without it packs a placeholder page and warns).
synth: install $(WEB_APPS)
	$(PY) -c "from phananh_local.assembly import cloud_assembly; print(cloud_assembly(refresh=True))"

# The pinned CDK CLI (package.json); AWS credentials and a bootstrapped account: see docs/deploying.md.
CDK := node_modules/.bin/cdk
$(CDK): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

deploy: install $(CDK) $(WEB_APPS)
	cd infra/cdk && ../../$(CDK) deploy --all $(CDK_ARGS)

# Overlaps (two owners for one ward × field) and gaps (none) in a rule set; RULES=file.json, or the demo rules.
check-rules: install
	$(PY) -m phananh_local.check_rules $(if $(RULES),--rules $(RULES))

# A fresh ID token for a demo officer of a running `make dev`: make token OFFICER=so_xay_dung.head
token: install
	@$(PY) -m phananh_local.identities $(OFFICER) --moto-port $(MOTO_PORT)

# The public site in Lighthouse (benchmarks/site.py; its own pinned Lighthouse, installed here once).
LIGHTHOUSE := benchmarks/lighthouse/node_modules/.installed
$(LIGHTHOUSE): benchmarks/lighthouse/package-lock.json
	cd benchmarks/lighthouse && npm ci --no-audit --no-fund
	touch $@

bench-site: install $(LIGHTHOUSE) $(WEB_APPS)
	$(PY) -m benchmarks.site

# Every benchmark in benchmarks/: figures against targets measured in one run (a miss is reported,
# not a failure). ImageMagick is the photo check's yardstick; LOAD_SECONDS sets the load's length.
LOAD_SECONDS ?= 60
bench: install $(LIGHTHOUSE)
	@/usr/bin/convert -version 2>/dev/null | grep -q '^Version: ImageMagick' \
		|| (apt-get update -qq && apt-get install -y -qq imagemagick)
	LOAD_SECONDS=$(LOAD_SECONDS) $(PY) -m benchmarks.run_all

# The soak (benchmarks/soak.py): `make dev`'s stack under a steady mixed load — submissions with and
# without photos, officer actions, public reads — for SOAK_MINUTES, then every report checked routed
# and alerted, memory and queue ages against their targets. Half an hour by default, so not in `make bench`.
SOAK_MINUTES ?= 30
bench-soak: install
	$(PY) -m benchmarks.soak --minutes $(SOAK_MINUTES)

# The fault benchmark (benchmarks/faults.py): 1,000 submissions with photos, transfers, resolutions and
# ratings under 10 % injected AWS faults, then the reconciliation (0 lost, 0 doubled, 0 unalerted).
# Ten minutes or more, so not in `make bench`.
FAULT_SUBMISSIONS ?= 1000
bench-faults: install
	$(PY) -m benchmarks.faults --submissions $(FAULT_SUBMISSIONS)

# The capacity model (benchmarks/capacity.py, docs/capacity.md): CAPACITY_SECONDS of the flood burst
# (100 reports/s) replayed on moto by parallel workers, counted per DynamoDB partition against its
# limits, with the Lambda concurrency, SES/SNS rates and SMS bill of HCMC's peak. About 3 minutes.
CAPACITY_SECONDS ?= 2
bench-capacity: install
	$(PY) -m benchmarks.capacity --seconds $(CAPACITY_SECONDS)

# The code an authenticator app shows now for the local accounts (unit heads, coordinators).
totp: install
	@$(PY) -m phananh_local.identities --totp

clean:
	rm -rf cdk.out infra/cdk/.build .pytest_cache .ruff_cache
