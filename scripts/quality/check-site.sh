#!/usr/bin/env bash
# The quality gates: builds programme folders and checks their whole output with tools we did not write.
#
#   scripts/quality/check-site.sh [PROGRAMME_FOLDER ...]
#
# Without arguments: the sample (Content/) and two variants made from it (scripts/quality/variants.py: four
# languages without base_url; an empty programme). For each folder:
#   links        `tandem check --links --strict`: every internal link and #anchor of site/, print/, internal/ resolves
#   vnu          the Nu HTML Checker on every HTML page (and the theme's SVG) of site/, print/, internal/: 0 errors
#   axe          axe-core in headless Chromium on every page of site/ and print/: 0 serious or critical violations
#   screenshots  the home page and a profile page at desktop and phone width, to PNG, must not be blank
# Every gate runs even when one before failed; the exit status is 1 when any failed.
# Environment: TANDEM (the binary; default: the debug build), QUALITY_VENV (default .build/quality-venv, made by
# scripts/quality/setup.sh), QUALITY_OUT (default .build/quality: outputs, screenshots, axe.json).
set -uo pipefail
cd "$(dirname "$0")/../.."
VENV=${QUALITY_VENV:-.build/quality-venv}
TANDEM=${TANDEM:-$(swift build --show-bin-path)/tandem}
WORK=${QUALITY_OUT:-.build/quality}
PY="$VENV/bin/python"
export SE_OFFLINE=true  # selenium-manager never downloads a driver; the scripts name Debian's by path

[ -x "$TANDEM" ] || { echo "check-site: $TANDEM not found (swift build --product tandem)"; exit 1; }
[ -x "$PY" ] || { echo "check-site: $PY not found (bash scripts/quality/setup.sh)"; exit 1; }
rm -rf "$WORK"
mkdir -p "$WORK/out" "$WORK/screenshots"

declare -A folders=()
names=()
if [ $# -eq 0 ]; then
    python3 scripts/quality/variants.py Content "$WORK/content" >/dev/null
    folders[sample]=Content; folders[multilingual]="$WORK/content/multilingual"; folders[minimal]="$WORK/content/minimal"
    names=(sample multilingual minimal)
else
    for folder in "$@"; do
        name=$(basename "$(cd "$folder" && pwd)")
        [ -n "${folders[$name]:-}" ] && name="$name-${#names[@]}"
        folders[$name]=$folder; names+=("$name")
    done
fi

failed=()
summary=()
now() { date +%s%N; }
gate() {  # gate NAME COMMAND...: runs, times and records one gate
    local name=$1; shift
    local start; start=$(now)
    echo "== $name"
    if "$@"; then status=ok; else status=FAILED; failed+=("$name"); fi
    local ms=$((($(now) - start) / 1000000))
    summary+=("$(printf '%-34s %-7s %4d.%01ds' "$name" "$status" $((ms / 1000)) $((ms % 1000 / 100)))")
}

build() {  # build NAME: `tandem build` of one folder into $WORK/out/NAME
    "$TANDEM" build --content "${folders[$1]}" --output "$WORK/out/$1" 2>&1 | grep -v ': warning: ' || true
    [ -d "$WORK/out/$1/site" ]
}

sites=(); prints=(); internals=()
for name in "${names[@]}"; do
    gate "links ($name)" "$TANDEM" check --links --strict --content "${folders[$name]}"
    gate "build ($name)" build "$name"
    for part in site print internal; do
        [ -d "$WORK/out/$name/$part" ] || continue
        case $part in site) sites+=("$WORK/out/$name/site");; print) prints+=("$WORK/out/$name/print");; internal) internals+=("$WORK/out/$name/internal");; esac
    done
done
gate "vnu (site, print, internal)" "$PY" scripts/quality/vnu.py "${sites[@]}" "${prints[@]}" "${internals[@]}"
gate "axe (site, print)" "$PY" scripts/quality/axe.py "${sites[@]}" "${prints[@]}" --report "$WORK/axe.json"
for name in "${names[@]}"; do
    [ -d "$WORK/out/$name/site" ] && gate "screenshots ($name)" python3 scripts/quality/screenshots.py "$WORK/out/$name/site" "$WORK/screenshots/$name"
done

echo
printf '%s\n' "${summary[@]}"
echo "Outputs in $WORK/out, screenshots in $WORK/screenshots, axe findings in $WORK/axe.json"
if [ ${#failed[@]} -gt 0 ]; then
    echo "check-site: FAILED: ${failed[*]}"
    exit 1
fi
echo "check-site: all gates passed"
