# Tandem: `make site` builds the sample programme into Output/, `make test` runs the tests.
# Both install what is missing first (Debian/Ubuntu: libcmark-dev and pkg-config via apt-get).

SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# weasyprint, poppler-utils and the fonts: `tandem build --pdf` and its tests (pdfinfo, pdftotext); python3 reads .eml in tests.
APT_PACKAGES := libcmark-dev pkg-config weasyprint poppler-utils fonts-inter fonts-dejavu-core python3

.PHONY: deps site check test format clean

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

test: deps
	swift test

format:
	swift format --in-place --recursive Package.swift Sources Tests

clean:
	rm -rf .build Output/site Output/print Output/mail Output/internal
