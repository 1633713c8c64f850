# Tandem: `make site` builds the sample programme into Output/, `make test` runs the tests.
# Both install what is missing first (Debian/Ubuntu: libcmark-dev and pkg-config via apt-get).

SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# librsvg2-dev and libqrencode-dev: social cards and QR codes (docs/sharing.md); zbar-tools: the tests decode the QR codes.
# weasyprint, poppler-utils and the fonts: `tandem build --pdf` and its tests (pdfinfo, pdftotext); python3 reads .eml in tests.
# qpdf: `--pdf` lays the announcements out as one document per 20 and splits it into per-tandem files (docs/performance.md).
# libcurl4-openssl-dev: `tandem send` (SMTP through libcurl); python3-aiosmtpd and openssl: its tests' SMTP server on
# loopback (scripts/test/smtp_server.py, run by /usr/bin/python3) and their self-signed certificate.
# librsvg2-dev and libqrencode-dev: social cards and QR codes; zbar-tools: the tests decode the QR codes.
# python3-icalendar: the calendar tests read programme.ics back with a real iCalendar parser (CalendarEventTests).
APT_PACKAGES := libcmark-dev pkg-config weasyprint qpdf poppler-utils fonts-inter fonts-dejavu-core python3 \
	libcurl4-openssl-dev python3-aiosmtpd openssl librsvg2-dev libqrencode-dev zbar-tools python3-icalendar
# `make check-site` (the quality gates, scripts/quality/): headless Chromium and its driver for axe-core and the
# screenshots, python3-venv for the venv with vnu, selenium and axe.min.js; Java for vnu (default-jre-headless if no java).
QUALITY_APT := chromium chromium-driver python3-venv
QUALITY_VENV := .build/quality-venv

.PHONY: deps quality-deps site check check-site serve test bench fuzz format clean dist-deps dist deb dist-check

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

# docs/performance.md: the full build and --only site against Hugo at 1k and 10k participants (median of RUNS interleaved
# runs, disk and /dev/shm), the I/O + cmark floor, --pdf at 1k, serve's first page at 10k and instructions per stage
# (callgrind at 1k). PARTS=build,floor,pdf,serve,callgrind picks some; installs hugo, cmark, time, valgrind if missing.
bench: deps
	python3 scripts/bench/bench.py --runs $(or $(RUNS),3) $(if $(PARTS),--parts $(PARTS))

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

# Releases (docs/install.md). `make dist`: dist/tandem-<version>-linux-<arch>.tar.gz from the committed HEAD, one
# executable without the Swift runtime (libcmark static), completions, man page, README, docs, SHA256SUMS.
# `make deb`: dist/tandem_<version>_<arch>.deb from that archive. `make dist-check`: installs the .deb with apt-get
# into a fresh Debian root without Swift (debootstrap; needs root and the Debian mirror; about 10 minutes the first
# time) and runs new, check, build and build --pdf there. CI skips dist-check: it is slow and needs root.
DIST_APT := libcmark-dev libcurl4-openssl-dev pkg-config python3 dpkg-dev

dist-deps:
	@missing=""; for p in $(DIST_APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

dist: dist-deps
	bash scripts/dist/build.sh

deb: dist
	bash scripts/dist/deb.sh

dist-check: deb
	$(SUDO) bash scripts/dist/check.sh

format:
	swift format --in-place --recursive Package.swift Sources Tests

clean:
	rm -rf .build Output/site Output/print Output/mail Output/internal
