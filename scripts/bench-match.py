#!/usr/bin/env python3
"""Benchmark of Tandem's assignment solver against scipy.optimize.linear_sum_assignment.

Random dense square matrices (seeded numpy generator), n = 500, 1000, 2000 by default. For each n the two solvers
run interleaved, 5 times each; the table shows the median solve times, their ratio, and whether both found the
same optimum (total cost) and the same assignment. Tandem's time is measured inside the process
(`tandem bench-assignment`, solver only, the matrix is read before the clock starts); scipy's around the call.

    swift build -c release --product tandem
    python3 scripts/bench-match.py [--tandem .build/release/tandem] [--sizes 500,1000,2000] [--runs 5] [--kind uniform|integers|both]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment


def tandem_solve(tandem, path, n):
    out = subprocess.run([tandem, "bench-assignment", path, "--rows", str(n), "--columns", str(n)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def scipy_solve(matrix):
    start = time.perf_counter()
    rows, cols = linear_sum_assignment(matrix)
    seconds = time.perf_counter() - start
    return {"total": float(matrix[rows, cols].sum()), "seconds": seconds, "checksum": int((rows * cols).sum())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tandem", default=".build/release/tandem")
    ap.add_argument("--sizes", default="500,1000,2000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--kind", default="uniform", choices=["uniform", "integers", "both"])
    ap.add_argument("--seed", type=int, default=20260301)
    args = ap.parse_args()
    kinds = ["uniform", "integers"] if args.kind == "both" else [args.kind]
    print(f"scipy {scipy.__version__}, numpy {np.__version__}, {args.runs} interleaved runs each, median solve time")
    print()
    print("| matrix | n | Tandem (s) | scipy (s) | Tandem / scipy | same optimum | same assignment |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            for n in map(int, args.sizes.split(",")):
                rng = np.random.default_rng(args.seed + n)
                matrix = rng.random((n, n)) if kind == "uniform" else rng.integers(0, 100, (n, n)).astype(np.float64)
                path = os.path.join(tmp, f"{kind}-{n}.f64")
                matrix.astype("<f8").tofile(path)
                ours, theirs = [], []
                for _ in range(args.runs):
                    ours.append(tandem_solve(args.tandem, path, n))
                    theirs.append(scipy_solve(matrix))
                t = statistics.median(r["seconds"] for r in ours)
                s = statistics.median(r["seconds"] for r in theirs)
                same = all(abs(a["total"] - theirs[0]["total"]) <= 1e-9 * max(1.0, abs(theirs[0]["total"])) for a in ours)
                assignment = all(a["checksum"] == theirs[0]["checksum"] for a in ours)
                failed |= not same or t > 2 * s
                label = "uniform [0,1)" if kind == "uniform" else "integers 0..99"
                print(f"| {label} | {n} | {t:.4f} | {s:.4f} | {t / s:.2f} | {'yes' if same else 'NO'} "
                      f"({theirs[0]['total']:.6f}) | {'yes' if assignment else 'no (ties)'} |")
                sys.stdout.flush()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
