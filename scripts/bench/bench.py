#!/usr/bin/env python3
"""Benchmark: `tandem build` against Hugo and the cmark floor on 1k- and 10k-participant programmes (issue 7).

    python3 scripts/bench/bench.py [--parts build,floor,pdf,serve,callgrind] [--sizes 1000,10000] [--runs 3]
                                   [--work /tmp/tandem-bench] [--content DIR] [--tandem PATH]

Parts (all by default; `make bench PARTS=build,pdf` picks some):
- build: the full build and `--only site`, against Hugo, interleaved (below);
- floor: scripts/bench/io_floor.c on the largest size: reading the content, writing the output, deleting it;
- pdf: `tandem build --pdf` on the 1,000-participant programme (wall and CPU seconds, WeasyPrint and qpdf included);
- serve: scripts/bench-serve.py on the largest size: the first page served after start, against the full build;
- callgrind: instructions per stage of a 1,000-participant build (valgrind --tool=callgrind, one worker, so each
  stage's work runs below its own function; this machine's VM has no hardware counters for `perf stat`).

For each size it generates a programme with `tandem sample` (or takes --content, e.g. one written by
scripts/gen-programme.py), then runs, interleaved, --runs times each:

- `tandem build` (all outputs except PDF) into a folder on disk and into one on tmpfs (/dev/shm);
- `tandem build --only site` into the same folders (the other outputs kept);
- Hugo (Debian `hugo`) building the same profile Markdown as content pages with a comparable layout
  (head, nav, profile content, footer), into a folder on disk and on tmpfs;
- the floor: `cat profiles/*.md | cmark > /dev/null`.

Wall time and peak RSS come from /usr/bin/time; medians are printed with the ratios, Tandem's stage breakdown
(from --timings) and the 1k -> 10k growth. Installs hugo, cmark and time with apt-get when they are missing.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

HUGO_CONFIG = """baseURL = "https://bench.example.ch/"
languageCode = "de"
title = "Reverse Mentoring Benchmark"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
[markup.goldmark.extensions]
typographer = true
"""

# A page like Tandem's profile page: head with title and stylesheet, header with the menu, the profile, footer.
HUGO_LAYOUT = """<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ with .Title }}{{ . }}{{ else }}{{ .File.BaseFileName }}{{ end }} – {{ .Site.Title }}</title>
<link rel="stylesheet" href="../theme/style.css">
</head>
<body>
<a class="skip-link" href="#main">Zum Inhalt</a>
<header class="site-header"><div class="wrap"><a class="brand" href="../index.html">{{ .Site.Title }}</a>
<nav><ul><li><a href="../index.html">Start</a></li><li><a href="index.html" aria-current="page">Teilnehmende</a></li>
<li><a href="../tandems/index.html">Tandems</a></li><li><a href="../timeline.html">Programm</a></li></ul></nav></div></header>
<main id="main"><div class="wrap page profile">
<p class="breadcrumb"><a href="index.html">Alle Teilnehmenden</a></p>
<h1>{{ with .Title }}{{ . }}{{ else }}{{ .File.BaseFileName }}{{ end }}</h1>
{{ with .Params.quote }}<blockquote class="profile-quote"><p>{{ . }}</p></blockquote>{{ end }}
<div class="profile-body"><div class="prose">{{ .Content }}</div>
<aside class="profile-facts">{{ with .Params.links }}<h2>Links</h2><ul class="links">{{ range . }}<li><a href="{{ .url }}" rel="noopener">{{ .title }}</a></li>{{ end }}</ul>{{ end }}</aside>
</div></div></main>
<footer class="site-footer"><div class="wrap"><p>{{ .Site.Title }}</p></div></footer>
</body>
</html>
"""


def ensure_tools():
    missing = [pkg for pkg, exe in (("hugo", "hugo"), ("cmark", "cmark"), ("valgrind", "valgrind"), ("gcc", "cc"))
               if shutil.which(exe) is None]
    if not os.path.exists("/usr/bin/time"):
        missing.append("time")
    if missing:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        print("Installing: " + " ".join(missing), file=sys.stderr)
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq"] + missing, check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


CPU = {}


def timed(command, cwd=None, shell=False, env=None):
    """Runs `command` under /usr/bin/time; returns (wall seconds, peak RSS in MB, stderr). The CPU seconds (user + sys,
    children included) of the last run are in CPU["last"]."""
    marker = "@@TIME@@"
    full = ["/usr/bin/time", "-f", marker + " %e %M %U %S"] + (["sh", "-c", command] if shell else command)
    result = subprocess.run(full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    lines = result.stderr.splitlines()
    stats = [line for line in lines if line.startswith(marker)]
    if result.returncode != 0 or not stats:
        sys.exit("failed: %s\n%s" % (command, result.stderr[-3000:]))
    _, wall, rss, user, system = stats[-1].split()
    CPU["last"] = float(user) + float(system)
    return float(wall), int(rss) / 1024, "\n".join(line for line in lines if not line.startswith(marker))


def stages(stderr):
    """The --timings lines: {stage: seconds}."""
    found = {}
    for line in stderr.splitlines():
        match = re.match(r"^(\w[\w ]*?)\s+(\d+) ms$", line.strip())
        if match:
            found[match.group(1)] = int(match.group(2)) / 1000
    return found


def hugo_site(content, folder):
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(os.path.join(folder, "layouts", "_default"))
    os.makedirs(os.path.join(folder, "content", "participants"))
    with open(os.path.join(folder, "config.toml"), "w") as f:
        f.write(HUGO_CONFIG)
    for name in ("single.html", "list.html"):
        with open(os.path.join(folder, "layouts", "_default", name), "w") as f:
            f.write(HUGO_LAYOUT)
    profiles = os.path.join(content, "profiles")
    count = 0
    for name in sorted(os.listdir(profiles)):
        if name.endswith(".md") and name.count(".") == 1:
            shutil.copyfile(os.path.join(profiles, name), os.path.join(folder, "content", "participants", name))
            count += 1
    return count


def median(values):
    return statistics.median(values) if values else float("nan")


STAGES = ["load", "parse", "validate", "render", "check", "write", "total"]
PARTS = ["build", "floor", "pdf", "serve", "callgrind"]


def sample(tandem, size, seed, work):
    content = os.path.join(work, "content-%d" % size)
    if not os.path.exists(os.path.join(content, "programme.yml")):
        subprocess.run([tandem, "sample", "--participants", str(size), "--seed", str(seed), "--output", content, "--force"],
                       check=True, stdout=subprocess.DEVNULL)
    return content


def warm(build, out_shm, out_disk):
    """One build into tmpfs, copied to disk: both folders then hold the cards a build reuses (drawing them is a first
    build's cost, see docs/performance.md)."""
    timed(build + ["--output", out_shm])
    if out_disk:
        shutil.rmtree(out_disk, ignore_errors=True)
        subprocess.run(["cp", "-a", out_shm, out_disk], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default=",".join(PARTS), help="some of " + ",".join(PARTS))
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--work", default="/tmp/tandem-bench", help="on disk: programmes, Hugo sites, disk outputs")
    parser.add_argument("--shm", default="/dev/shm/tandem-bench", help="on tmpfs: the tmpfs outputs")
    parser.add_argument("--content", help="benchmark this programme folder instead of generating one (one size)")
    parser.add_argument("--tandem", help="the tandem binary (default: build it with swift build -c release)")
    args = parser.parse_args()
    parts = [p for p in args.parts.split(",") if p]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        sys.exit("unknown part %s; choose from %s" % (", ".join(unknown), ",".join(PARTS)))

    ensure_tools()
    tandem = args.tandem
    if not tandem:
        subprocess.run(["swift", "build", "-c", "release", "--product", "tandem"], cwd=ROOT, check=True)
        tandem = os.path.join(ROOT, ".build", "release", "tandem")
    templates = os.path.join(ROOT, "Templates")
    os.makedirs(args.work, exist_ok=True)
    shm = args.shm
    os.makedirs(shm, exist_ok=True)

    sizes = [0] if args.content else [int(s) for s in args.sizes.split(",")]
    largest = max(sizes)
    results = {}
    report = []
    print("machine: %s, %d cores, %s; load average before: %s" % (platform_cpu(), os.cpu_count() or 0, memory(),
                                                                    " ".join(open("/proc/loadavg").read().split()[:3])))
    for size in sizes:
        label = os.path.basename(os.path.normpath(args.content)) if args.content else "%dk" % (size // 1000) if size >= 1000 else str(size)
        content = args.content or sample(tandem, size, args.seed, args.work)
        out_disk = os.path.join(args.work, "out-%s" % label)
        out_shm = os.path.join(shm, "out-%s" % label)
        build = [tandem, "build", "--content", content, "--templates", templates, "--timings"]
        if "build" not in parts:
            continue
        site = os.path.join(args.work, "hugo-%s" % label)
        pages = hugo_site(content, site)
        hugo_disk = os.path.join(args.work, "hugo-out-%s" % label)
        hugo_shm = os.path.join(shm, "hugo-out-%s" % label)
        keys = ("tandem_disk", "tandem_shm", "only_disk", "only_shm", "hugo_disk", "hugo_shm", "cmark")
        runs = {key: [] for key in keys}
        cpu = {"tandem_shm": [], "only_shm": [], "hugo_shm": []}
        rss = {"tandem": [], "hugo": []}
        stage_runs, only_stage_runs = [], []
        # One warm-up of each (file cache, output folders, cards), then interleaved measured runs.
        warm(build, out_shm, out_disk)
        timed(["hugo", "--quiet", "-s", site, "-d", hugo_shm])
        for run in range(args.runs):
            for key, output, extra in (("tandem_disk", out_disk, []), ("tandem_shm", out_shm, []),
                                       ("only_disk", out_disk, ["--only", "site"]), ("only_shm", out_shm, ["--only", "site"])):
                wall, peak, err = timed(build + extra + ["--output", output])
                runs[key].append(wall)
                rss["tandem"].append(peak)
                if key in cpu:
                    cpu[key].append(CPU["last"])
                if key == "tandem_shm":
                    stage_runs.append(stages(err))
                if key == "only_shm":
                    only_stage_runs.append(stages(err))
            for key, output in (("hugo_disk", hugo_disk), ("hugo_shm", hugo_shm)):
                shutil.rmtree(output, ignore_errors=True)
                wall, peak, _ = timed(["hugo", "--quiet", "-s", site, "-d", output])
                runs[key].append(wall)
                rss["hugo"].append(peak)
                if key in cpu:
                    cpu[key].append(CPU["last"])
            wall, _, _ = timed("cat '%s'/profiles/*.md | cmark > /dev/null" % content, shell=True)
            runs["cmark"].append(wall)
            print("  %s run %d/%d: tandem %.2f s (disk) %.2f s (shm), --only site %.2f s (disk) %.2f s (shm), "
                  "hugo %.2f s (disk) %.2f s (shm), cmark %.2f s" % (
                      label, run + 1, args.runs, runs["tandem_disk"][-1], runs["tandem_shm"][-1], runs["only_disk"][-1],
                      runs["only_shm"][-1], runs["hugo_disk"][-1], runs["hugo_shm"][-1], runs["cmark"][-1]), file=sys.stderr)

        def stage_medians(found):
            names = sorted({name for s in found for name in s}, key=lambda n: STAGES.index(n) if n in STAGES else 99)
            return {name: median([s.get(name, 0) for s in found]) for name in names}

        results[label] = {
            "size": size, "pages": pages, "files": sum(len(f) for _, _, f in os.walk(out_shm)),
            **{key: median(values) for key, values in runs.items()},
            **{"cpu_" + key: median(values) for key, values in cpu.items()},
            "tandem_rss": max(rss["tandem"]), "hugo_rss": max(rss["hugo"]),
            "stages": stage_medians(stage_runs), "only_stages": stage_medians(only_stage_runs),
        }

    print()
    print("runs: %d interleaved per tool; medians in seconds (wall; CPU = user + sys)" % args.runs)
    for label, r in results.items():
        print()
        print("%s: %d profile pages for Hugo; Tandem writes %d files" % (label, r["pages"], r["files"]))
        print("  tandem build        disk %6.2f   tmpfs %6.2f   CPU %6.2f   peak RSS %5.0f MB" % (
            r["tandem_disk"], r["tandem_shm"], r["cpu_tandem_shm"], r["tandem_rss"]))
        print("  tandem --only site  disk %6.2f   tmpfs %6.2f   CPU %6.2f" % (r["only_disk"], r["only_shm"], r["cpu_only_shm"]))
        print("  hugo                disk %6.2f   tmpfs %6.2f   CPU %6.2f   peak RSS %5.0f MB" % (
            r["hugo_disk"], r["hugo_shm"], r["cpu_hugo_shm"], r["hugo_rss"]))
        print("  cmark floor              %6.2f" % r["cmark"])
        print("  build / hugo        disk %6.2f   tmpfs %6.2f   (target <= 0.5)" % (r["tandem_disk"] / r["hugo_disk"], r["tandem_shm"] / r["hugo_shm"]))
        print("  --only site / hugo  disk %6.2f   tmpfs %6.2f   (target <= 0.4)" % (r["only_disk"] / r["hugo_disk"], r["only_shm"] / r["hugo_shm"]))
        print("  stages, build (tmpfs):      " + ", ".join("%s %.2f" % (k, v) for k, v in r["stages"].items()))
        print("  stages, --only site (tmpfs): " + ", ".join("%s %.2f" % (k, v) for k, v in r["only_stages"].items()))
    labels = list(results)
    if len(labels) >= 2 and results[labels[0]]["size"] and results[labels[-1]]["size"]:
        small, large = results[labels[0]], results[labels[-1]]
        print()
        print("growth %s -> %s: %.1fx (disk), %.1fx (tmpfs) for %.0fx the participants (target <= 11x)" % (
            labels[0], labels[-1], large["tandem_disk"] / small["tandem_disk"], large["tandem_shm"] / small["tandem_shm"],
            large["size"] / small["size"]))
    sys.stdout.flush()

    big = args.content or sample(tandem, largest, args.seed, args.work)
    big_label = os.path.basename(os.path.normpath(args.content)) if args.content else "%dk" % (largest // 1000)
    big_out = os.path.join(shm, "out-%s" % big_label)
    big_build = [tandem, "build", "--content", big, "--templates", templates, "--timings"]
    if "floor" in parts:
        print()
        if not os.path.isdir(big_out):
            warm(big_build, big_out, None)
        floor = os.path.join(args.work, "io_floor")
        subprocess.run(["cc", "-O2", "-pthread", os.path.join(ROOT, "scripts", "bench", "io_floor.c"), "-o", floor], check=True)
        scratch = os.path.join(shm, "io-floor-scratch")
        shutil.rmtree(scratch, ignore_errors=True)
        result = subprocess.run([floor, big, big_out, scratch, "2"], check=True, capture_output=True, text=True)
        print("I/O floor (%s, tmpfs, 2 threads; scripts/bench/io_floor.c):" % big_label)
        for line in result.stdout.splitlines():
            print("  " + line)
        wall, _, _ = timed("cat '%s'/profiles/*.md | cmark > /dev/null" % big, shell=True)
        print("  cmark over all profiles (one core): %.2f s" % wall)
    if "pdf" in parts:
        print()
        content = sample(tandem, 1000, args.seed, args.work)
        out = os.path.join(shm, "out-pdf-1k")
        build = [tandem, "build", "--content", content, "--templates", templates, "--timings"]
        warm(build, out, None)
        wall, peak, err = timed(build + ["--pdf", "--output", out])
        announcements = [n for n in os.listdir(os.path.join(out, "print", "announcements")) if n.endswith(".pdf")]
        print("--pdf at 1k: %.1f s wall, %.1f s CPU (WeasyPrint and qpdf included), peak RSS of tandem %.0f MB; "
              "%d announcements, handout and report (target <= 60 s)" % (wall, CPU["last"], peak, len(announcements)))
        print("  stages: " + ", ".join("%s %.2f" % (k, v) for k, v in stages(err).items()))
    if "serve" in parts:
        print()
        build_wall = results.get(big_label, {}).get("tandem_shm")
        if build_wall is None:
            if not os.path.isdir(big_out):
                warm(big_build, big_out, None)
            build_wall, _, _ = timed(big_build + ["--output", big_out])
        result = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "bench-serve.py"), "--tandem", tandem,
                                 "--content", big, "--edits", "5", "--warm"], capture_output=True, text=True)
        first = re.search(r"first build served after ([\d.]+) s", result.stdout)
        print("serve at %s (scripts/bench-serve.py --warm: Output/ holds a build, as after make site; 5 edits):" % big_label)
        for line in result.stdout.splitlines()[:3]:
            print("  " + line)
        if first:
            print("  first page %.1f s vs a build %.1f s into a warm output folder: %.2fx (target <= 1.5)" % (
                float(first.group(1)), build_wall, float(first.group(1)) / build_wall))
        elif result.returncode != 0:
            print("  failed: " + result.stderr[-2000:])
    if "callgrind" in parts:
        print()
        callgrind(tandem, templates, sample(tandem, 1000, args.seed, args.work), args.work, shm)


# The functions each stage's work runs below (one worker), as `swift demangle --simplified` shows them; the first
# (largest inclusive) line naming each counts, and a stage sums its functions. The compiler inlines some stage
# functions (ProgrammeFolder.load, ModelBuilder.build): the ones named here are those left in the symbol table.
# "validate" is the model stage less loading and Markdown; "render" includes writing each part (the build writes as
# it renders), which is also shown on its own.
STAGE_FUNCTIONS = [
    ("model", ["static Pipeline.loadModel("]),
    ("load", ["SourceFiles.load("]),
    ("parse", ["static ModelBuilder.renderMarkdown("]),
    ("render", ["static Theme.load(", "static Pipeline.plan(", "closure #1 in closure #1 in static Pipeline.renderOutput("]),
    ("  writing", ["OutputWriter.Staging.write(part:"]),
    ("check", ["static Pipeline.checkLinks("]),
    ("write", ["OutputWriter.Staging.finish("]),
]


def callgrind(tandem, templates, content, work, shm):
    """Instructions per stage of a 1k build (cards reused from a warm output folder), one worker."""
    out = os.path.join(shm, "out-callgrind-1k")
    build = [tandem, "build", "--content", content, "--templates", templates, "--output", out]
    warm(build, out, None)
    profile = os.path.join(work, "callgrind.out")
    env = dict(os.environ, TANDEM_WORKERS="1")
    # Valgrind 3.19 (Debian 12) cannot read the DWARF 5 that Swift writes: a copy without debug information keeps the
    # symbol table, which is all the function names need.
    stripped = os.path.join(work, "tandem-nodebug")
    subprocess.run(["objcopy", "--strip-debug", tandem, stripped], check=True)
    wall, _, _ = timed(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + profile, stripped] + build[1:], env=env)
    annotated = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", profile],
                               capture_output=True, text=True, check=True).stdout
    demangled = subprocess.run(["swift", "demangle", "--simplified"], input=annotated, capture_output=True, text=True).stdout
    total = None
    counts = {}
    for line in demangled.splitlines():
        match = re.match(r"^\s*([\d,]+)\s", line)
        if not match:
            continue
        value = int(match.group(1).replace(",", ""))
        if "PROGRAM TOTALS" in line:
            total = value
        symbol = line.split("???:", 1)[1] if "???:" in line else ""
        if symbol.startswith("specialized "):
            symbol = symbol[len("specialized "):]
        for stage, functions in STAGE_FUNCTIONS:
            for function in functions:
                if symbol.startswith(function) and (stage, function) not in counts:
                    counts[(stage, function)] = value
    stages = {stage: sum(counts.get((stage, f), 0) for f in functions) for stage, functions in STAGE_FUNCTIONS}
    stages["validate"] = stages.pop("model") - stages["load"] - stages["parse"]
    print("instructions per stage, 1k build, one worker (valgrind --tool=callgrind, %.0f s under valgrind):" % wall)
    for stage in ["load", "parse", "validate", "render", "  writing", "check", "write"]:
        print("  %-9s %8.2f G" % (stage, stages[stage] / 1e9))
    if total:
        print("  %-9s %8.2f G (whole process)" % ("total", total / 1e9))


def platform_cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def memory():
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            return "%.0f GB RAM" % (kb / 1048576)
    except (OSError, ValueError, IndexError):
        return "unknown RAM"


if __name__ == "__main__":
    main()
