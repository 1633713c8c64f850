#!/usr/bin/env python3
"""Benchmark: `tandem build` against Hugo and the cmark floor on 1k- and 10k-participant programmes (issue 7).

    python3 scripts/bench/bench.py [--sizes 1000,10000] [--runs 5] [--work /tmp/tandem-bench] [--content DIR] [--tandem PATH]

For each size it generates a programme with `tandem sample` (or takes --content, e.g. one written by
scripts/gen-programme.py), then runs, interleaved, --runs times each:

- `tandem build` (all outputs except PDF) into a folder on disk and into one on tmpfs (/dev/shm);
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
    missing = [pkg for pkg, exe in (("hugo", "hugo"), ("cmark", "cmark")) if shutil.which(exe) is None]
    if not os.path.exists("/usr/bin/time"):
        missing.append("time")
    if missing:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        print("Installing: " + " ".join(missing), file=sys.stderr)
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq"] + missing, check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def timed(command, cwd=None, shell=False):
    """Runs `command` under /usr/bin/time; returns (wall seconds, peak RSS in MB, stderr)."""
    marker = "@@TIME@@"
    full = ["/usr/bin/time", "-f", marker + " %e %M"] + (["sh", "-c", command] if shell else command)
    result = subprocess.run(full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = result.stderr.splitlines()
    stats = [line for line in lines if line.startswith(marker)]
    if result.returncode != 0 or not stats:
        sys.exit("failed: %s\n%s" % (command, result.stderr[-3000:]))
    _, wall, rss = stats[-1].split()
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--work", default="/tmp/tandem-bench")
    parser.add_argument("--content", help="benchmark this programme folder instead of generating one (one size)")
    parser.add_argument("--tandem", help="the tandem binary (default: build it with swift build -c release)")
    args = parser.parse_args()

    ensure_tools()
    tandem = args.tandem
    if not tandem:
        subprocess.run(["swift", "build", "-c", "release", "--product", "tandem"], cwd=ROOT, check=True)
        tandem = os.path.join(ROOT, ".build", "release", "tandem")
    templates = os.path.join(ROOT, "Templates")
    os.makedirs(args.work, exist_ok=True)
    shm = "/dev/shm/tandem-bench"
    os.makedirs(shm, exist_ok=True)

    sizes = [0] if args.content else [int(s) for s in args.sizes.split(",")]
    results = {}
    for size in sizes:
        label = os.path.basename(os.path.normpath(args.content)) if args.content else "%dk" % (size // 1000) if size >= 1000 else str(size)
        content = args.content or os.path.join(args.work, "content-%d" % size)
        if not args.content:
            subprocess.run([tandem, "sample", "--participants", str(size), "--seed", str(args.seed), "--output", content, "--force"],
                           check=True, stdout=subprocess.DEVNULL)
        site = os.path.join(args.work, "hugo-%s" % label)
        pages = hugo_site(content, site)
        out_disk = os.path.join(args.work, "out-%s" % label)
        out_shm = os.path.join(shm, "out-%s" % label)
        hugo_disk = os.path.join(args.work, "hugo-out-%s" % label)
        hugo_shm = os.path.join(shm, "hugo-out-%s" % label)
        build = [tandem, "build", "--content", content, "--templates", templates, "--timings"]
        runs = {key: [] for key in ("tandem_disk", "tandem_shm", "hugo_disk", "hugo_shm", "cmark")}
        rss = {"tandem": [], "hugo": []}
        stage_runs = []
        # One warm-up of each (file cache, output folders), then interleaved measured runs.
        timed(build + ["--output", out_disk])
        timed(build + ["--output", out_shm])
        timed(["hugo", "--quiet", "-s", site, "-d", hugo_shm])
        for run in range(args.runs):
            for key, output in (("tandem_disk", out_disk), ("tandem_shm", out_shm)):
                wall, peak, err = timed(build + ["--output", output])
                runs[key].append(wall)
                rss["tandem"].append(peak)
                if key == "tandem_shm":
                    stage_runs.append(stages(err))
            for key, output in (("hugo_disk", hugo_disk), ("hugo_shm", hugo_shm)):
                shutil.rmtree(output, ignore_errors=True)
                wall, peak, _ = timed(["hugo", "--quiet", "-s", site, "-d", output])
                runs[key].append(wall)
                rss["hugo"].append(peak)
            wall, _, _ = timed("cat '%s'/profiles/*.md | cmark > /dev/null" % content, shell=True)
            runs["cmark"].append(wall)
            print("  %s run %d/%d: tandem %.2f s (disk) %.2f s (shm), hugo %.2f s (disk) %.2f s (shm), cmark %.2f s" % (
                label, run + 1, args.runs, runs["tandem_disk"][-1], runs["tandem_shm"][-1], runs["hugo_disk"][-1],
                runs["hugo_shm"][-1], runs["cmark"][-1]), file=sys.stderr)
        names = sorted({name for s in stage_runs for name in s}, key=lambda n: ["load", "parse", "validate", "render", "check", "write", "total"].index(n) if n in ["load", "parse", "validate", "render", "check", "write", "total"] else 99)
        results[label] = {
            "size": size, "pages": pages, "files": sum(len(f) for _, _, f in os.walk(out_shm)),
            **{key: median(values) for key, values in runs.items()},
            "tandem_rss": max(rss["tandem"]), "hugo_rss": max(rss["hugo"]),
            "stages": {name: median([s.get(name, 0) for s in stage_runs]) for name in names},
        }

    print()
    print("machine: %s, %d cores, %s" % (platform_cpu(), os.cpu_count() or 0, memory()))
    print("runs: %d interleaved per tool; medians in seconds" % args.runs)
    for label, r in results.items():
        print()
        print("%s: %d profile pages for Hugo; Tandem writes %d files" % (label, r["pages"], r["files"]))
        print("  tandem build   disk %6.2f   tmpfs %6.2f   peak RSS %5.0f MB" % (r["tandem_disk"], r["tandem_shm"], r["tandem_rss"]))
        print("  hugo           disk %6.2f   tmpfs %6.2f   peak RSS %5.0f MB" % (r["hugo_disk"], r["hugo_shm"], r["hugo_rss"]))
        print("  cmark floor         %6.2f" % r["cmark"])
        print("  tandem / hugo  disk %6.2f   tmpfs %6.2f   (target <= 0.33)" % (r["tandem_disk"] / r["hugo_disk"], r["tandem_shm"] / r["hugo_shm"]))
        print("  tandem / cmark      %6.2f   (tmpfs; target <= 2)" % (r["tandem_shm"] / r["cmark"]))
        print("  stages (tmpfs): " + ", ".join("%s %.2f" % (k, v) for k, v in r["stages"].items()))
    labels = list(results)
    if len(labels) >= 2 and results[labels[0]]["size"] and results[labels[-1]]["size"]:
        small, large = results[labels[0]], results[labels[-1]]
        print()
        print("growth %s -> %s: %.1fx (disk), %.1fx (tmpfs) for %.0fx the participants (target <= 11x)" % (
            labels[0], labels[-1], large["tandem_disk"] / small["tandem_disk"], large["tandem_shm"] / small["tandem_shm"],
            large["size"] / small["size"]))


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
