#!/usr/bin/env python3
"""Runs axe-core in headless Chromium (Selenium) on every HTML page below the given folders.

    python scripts/quality/axe.py Output/site Output/print [--report axe.json] [--impacts serious,critical]

Fails (exit 1) when a page has a violation of impact serious or critical; moderate and minor ones are printed as
notes. Works offline: Debian's chromium and chromedriver are used by path (selenium-manager is never asked for a
driver), and axe.min.js comes from the installed `axe-playwright-python` package.
"""
import argparse, concurrent.futures, importlib.util, json, os, pathlib, shutil, sys, time

os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager must not go online

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def axe_source():
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("axe.py: the axe-playwright-python package is missing (pip install --no-deps axe-playwright-python)")
    path = pathlib.Path(list(spec.submodule_search_locations)[0]) / "axe.min.js"
    if not path.is_file():
        sys.exit(f"axe.py: {path} not found")
    return path.read_text(encoding="utf-8")


def find(name, *candidates):
    for candidate in (os.environ.get(name.upper().replace("-", "_")), *candidates, shutil.which(name)):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    sys.exit(f"axe.py: {name} not found (Debian: apt-get install chromium chromium-driver)")


def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = find("chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--allow-file-access-from-files", "--no-first-run"):
        options.add_argument(argument)
    service = Service(executable_path=find("chromedriver", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
   .then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))})))))
   .catch(e => done(JSON.stringify({error: String(e)})));
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--impacts", default="serious,critical", help="impacts that fail the run")
    parser.add_argument("--report", help="write every violation as JSON here")
    parser.add_argument("--browsers", type=int, default=min(2, os.cpu_count() or 1), help="browsers run side by side")
    args = parser.parse_args()
    failing = set(args.impacts.split(","))
    pages = sorted(p for folder in args.folders for p in pathlib.Path(folder).rglob("*.html"))
    if not pages:
        sys.exit("axe.py: no HTML pages found in " + " ".join(args.folders))
    source = axe_source()
    started = time.monotonic()
    workers = max(1, min(args.browsers, len(pages)))
    # Each browser takes every n-th page; results are printed in page order afterwards.
    def check(share):
        browser = driver()
        browser.set_script_timeout(120)
        results = {}
        try:
            for page in share:
                browser.get(page.resolve().as_uri())
                browser.execute_script(source)
                results[page] = json.loads(browser.execute_async_script(RUN))
        finally:
            browser.quit()
        return results
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        shares = [pages[i::workers] for i in range(workers)]
        results = {}
        for part in pool.map(check, shares):
            results.update(part)
    findings, failures, report = 0, 0, {}
    for page in pages:
        result = results[page]
        if isinstance(result, dict):
            print(f"{page}: error: axe failed: {result['error']}")
            failures += 1
            continue
        report[str(page)] = result
        for violation in result:
            findings += 1
            severity = "error" if violation["impact"] in failing else "note"
            failures += severity == "error"
            targets = ", ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                                for n in violation["nodes"][:3])
            more = f" (+{len(violation['nodes']) - 3} more)" if len(violation["nodes"]) > 3 else ""
            print(f"{page}: {severity}: axe {violation['impact']} {violation['id']}: {violation['help']} [{targets}{more}]")
    if args.report:
        pathlib.Path(args.report).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"axe: {len(pages)} pages, {findings} violations, {failures} {'/'.join(sorted(failing))} "
          f"({time.monotonic() - started:.1f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
