#!/usr/bin/env python3
"""Checks `tandem match` on random rosters the way an outside reviewer would.

For each roster: generate Content/ (programme.yml + participants.csv), run
`tandem match --output pairs.csv --scores scores.csv`, then check that every proposed tandem keeps the hard
rules and that the proposal's total equals the optimum scipy's linear_sum_assignment finds on the --scores
matrix (pairs absent from --scores are forbidden). Also checks that an all-one-organisation roster fails with a
message about the organisation rule.

    python3 scripts/check-match.py [--tandem .build/release/tandem] [--sizes 16x16,300x300,20x25,25x18] [--seed 1]
"""
import argparse, csv, os, random, subprocess, sys, tempfile

import numpy as np
from scipy.optimize import linear_sum_assignment

TOPICS = ["TikTok", "Instagram", "LinkedIn", "Podcasts", "KI-Tools", "Video", "Memes", "Newsletter",
          "Datenanalyse", "Employer Branding", "Community-Management", "Barrierefreiheit"]
LANGS = ["de", "fr", "it", "en"]


def roster(folder, mentors, mentees, seed, organisations=8, rule="required", one_org=False, weights=None, locks=(), avoid=()):
    rng = random.Random(seed)
    os.makedirs(folder, exist_ok=True)
    yml = ["title: Test", "organiser: Test", "start: 2026-03-01", "end: 2026-08-31",
           "rules:", f"  cross_organisation: {rule}", "  pairs_per_person: 1"]
    if weights or locks or avoid:
        yml.append("matching:")
        if weights:
            yml.append("  weights:")
            yml += [f"    {k}: {v}" for k, v in weights.items()]
        for key, items in (("lock", locks), ("avoid", avoid)):
            if items:
                yml.append(f"  {key}:")
                yml += [f"    - {{mentor: {a}, mentee: {b}}}" for a, b in items]
    open(os.path.join(folder, "programme.yml"), "w").write("\n".join(yml) + "\n")
    with open(os.path.join(folder, "participants.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "role", "organisation", "languages", "topics"])
        for role, count in (("mentor", mentors), ("mentee", mentees)):
            for i in range(count):
                org = "Org A" if one_org else f"Org {rng.randrange(organisations)}"
                langs = rng.sample(LANGS, rng.choice([0, 1, 1, 2, 2, 3]))
                topics = rng.sample(TOPICS, rng.randrange(0, 5))
                w.writerow([f"{role}-{i:03d}", f"{role.title()} {i}", role, org, ";".join(langs), ";".join(topics)])
    return folder


def people(folder):
    with open(os.path.join(folder, "participants.csv"), newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def run(tandem, content, out):
    cmd = [tandem, "match", "--content", content, "--output", os.path.join(out, "pairs.csv"), "--scores", os.path.join(out, "scores.csv")]
    return subprocess.run(cmd, capture_output=True, text=True)


def verify(tandem, content, out, rule):
    r = run(tandem, content, out)
    if r.returncode != 0:
        return f"exit {r.returncode}: {r.stderr.strip()}"
    ps = people(content)
    with open(os.path.join(out, "scores.csv"), newline="") as f:
        scores = {(x["mentor"], x["mentee"]): float(x["score"]) for x in csv.DictReader(f)}
    with open(os.path.join(out, "pairs.csv"), newline="") as f:
        pairs = list(csv.DictReader(f))
    seen = set()
    for p in pairs:
        a, b = ps[p["mentor"]], ps[p["mentee"]]
        assert a["role"] == "mentor" and b["role"] == "mentee"
        if rule == "required":
            assert a["organisation"].lower() != b["organisation"].lower(), p
        la, lb = set(filter(None, a["languages"].split(";"))), set(filter(None, b["languages"].split(";")))
        assert not (la and lb) or la & lb, p
        assert p["mentor"] not in seen and p["mentee"] not in seen, p
        seen |= {p["mentor"], p["mentee"]}
        assert (p["mentor"], p["mentee"]) in scores, p
        assert float(p["score"]) == scores[(p["mentor"], p["mentee"])], p
    mentors = sorted(i for i, x in ps.items() if x["role"] == "mentor")
    mentees = sorted(i for i, x in ps.items() if x["role"] == "mentee")
    total = sum(float(p["score"]) for p in pairs)
    big = -1e9
    m = np.full((len(mentors), len(mentees)), big)
    mi = {x: i for i, x in enumerate(mentors)}
    ei = {x: i for i, x in enumerate(mentees)}
    for (a, b), s in scores.items():
        m[mi[a], ei[b]] = s
    rows, cols = linear_sum_assignment(m, maximize=True)
    chosen = m[rows, cols]
    assert (chosen > big / 2).all(), "scipy needs a forbidden pair: the roster should have been refused"
    optimum = chosen.sum()
    assert len(pairs) == min(len(mentors), len(mentees)), (len(pairs), len(mentors), len(mentees))
    assert abs(total - optimum) < 1e-6, (total, optimum)
    return f"ok: {len(pairs)} tandems, total {total:g} = scipy {optimum:g}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tandem", default=".build/release/tandem")
    ap.add_argument("--sizes", default="16x16,300x300,20x25,25x18,40x40")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            a, b = map(int, size.split("x"))
            for k in range(args.rounds):
                for rule in ("required", "preferred"):
                    seed = args.seed * 1000 + k
                    content = roster(os.path.join(tmp, f"{size}-{k}-{rule}"), a, b, seed, rule=rule,
                                     weights={"topics": 1.5, "languages": 0.25, "same_organisation": 0.7})
                    try:
                        print(size, rule, k, verify(args.tandem, content, content, rule))
                    except AssertionError as e:
                        failures += 1
                        print(size, rule, k, "FAIL", e)
        content = roster(os.path.join(tmp, "one-org"), 16, 16, 5, one_org=True)
        r = run(args.tandem, content, content)
        ok = r.returncode != 0 and "cross_organisation" in r.stderr and not os.path.exists(os.path.join(content, "pairs.csv"))
        print("one organisation:", "ok" if ok else "FAIL", r.returncode, r.stderr.strip().splitlines()[:2])
        failures += not ok
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
