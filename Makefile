# Tandem: `make site` builds the sample programme into Output/, `make test` runs the tests.
# Both install what is missing first (Debian/Ubuntu: libcmark-dev and pkg-config via apt-get).

SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# weasyprint, poppler-utils and the fonts: `tandem build --pdf` and its tests (pdfinfo, pdftotext); python3 reads .eml in tests.
APT_PACKAGES := libcmark-dev pkg-config weasyprint poppler-utils fonts-inter fonts-dejavu-core python3
# `make check-site` (the quality gates, scripts/quality/): headless Chromium and its driver for axe-core and the
# screenshots, python3-venv for the venv with vnu, selenium and axe.min.js; Java for vnu (default-jre-headless if no java).
QUALITY_APT := chromium chromium-driver python3-venv
QUALITY_VENV := .build/quality-venv

.PHONY: deps quality-deps site check check-site serve test bench fuzz format clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

site: deps
	swift build -c release --product tandem
	.build/release/tandem build --content Content --templates Templates --output Output

check: deps
	swift build -c release --product tandem
	.build/release/tandem check --content Content --templates Templates

# Live preview of the sample on http://127.0.0.1:8000/ (PORT=... to change); rebuilds on every save, Ctrl-C stops.
serve: deps
	swift build -c release --product tandem
	.build/release/tandem serve --content Content --templates Templates --output Output --port $(or $(PORT),8000)

test: deps
	swift test

# Issue 7: times `tandem build` on generated 1k- and 10k-participant programmes against Hugo and the cmark floor
# (median of RUNS interleaved runs, on disk and on /dev/shm); installs hugo, cmark and time if missing.
bench: deps
	python3 scripts/bench/bench.py --runs $(or $(RUNS),5)

# Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of the readers and writers of hostile input: FUZZ_SECONDS per
# target (default 60; five targets), not part of `make test` or CI; see docs/fuzzing.md.
fuzz: deps
	bash scripts/fuzz/run.sh $(or $(FUZZ_SECONDS),60)

quality-deps:
	@missing=""; for p in $(QUALITY_APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	QUALITY_VENV=$(QUALITY_VENV) bash scripts/quality/setup.sh

# The quality gates on the sample and two variants (or CONTENT="folder ..."): links, vnu, axe-core, screenshots.
check-site: deps quality-deps
	swift build --product tandem
	QUALITY_VENV=$(QUALITY_VENV) TANDEM="$$(swift build --show-bin-path)/tandem" bash scripts/quality/check-site.sh $(CONTENT)

format:
	swift format --in-place --recursive Package.swift Sources Tests

clean:
	rm -rf .build Output/site Output/print Output/mail Output/internal
