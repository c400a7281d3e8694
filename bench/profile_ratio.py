#!/usr/bin/python3
"""Turns bench/profile_ratio's work folders into figures and a table (bench/out/profile_ratio.{json,md}).

  profile_ratio.py --out bench/out/profile_ratio --baseline COMMIT --commit COMMIT bench/out/ratio-*

A folder ratio-N holds the contract shape's steps (full-hardwired-R, full-profile-R, offline-hardwired-R,
offline-profile-R: /usr/bin/time -v reports, open findings, the run's counts); ratio-b-N holds shape B's
(full-profile-1, offline-profile-1, lookups.log). The ratio compared with the issue's 1.2 is CPU time (user + sys)
of the profile reader over the hard-wired one, each the median of its runs; wall time is given beside it.
"""
import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import ReportError, lookup_figures, read, time_report  # noqa: E402  (bench/report.py sits next to this file)

TARGET = 1.2


def steps(folder, step, reader):
    """Every run of one step by one reader, in run order: time figures, counts and the findings file."""
    found = []
    r = 1
    while os.path.exists(os.path.join(folder, f"{step}-{reader}-{r}.time")):
        name = os.path.join(folder, f"{step}-{reader}-{r}")
        figures = time_report(name + ".time")
        with open(name + ".findings.tsv", encoding="utf-8") as f:
            figures["findings"] = sum(1 for _ in f)
        figures["findings_file"] = name + ".findings.tsv"
        if os.path.exists(name + ".run"):
            as_of, provincial, national, status = read(name + ".run").split()
            figures.update(provincial_read=int(provincial), national_read=int(national), status=status)
        found.append(figures)
        r += 1
    return found


def median(runs, figure):
    return round(statistics.median(run[figure] for run in runs), 2)


def summary(runs):
    if not runs:
        raise ReportError("a step has no run")
    out = {k: median(runs, k) for k in ("wall_s", "cpu_s", "peak_rss_mb")}
    out["runs"] = [{k: v for k, v in run.items() if k != "findings_file"} for run in runs]
    for k in ("findings", "provincial_read", "national_read", "status"):
        if k in runs[0]:
            out[k] = runs[0][k]
    return out


def same_sets(a, b):
    with open(a, encoding="utf-8") as f:
        left = set(f)
    with open(b, encoding="utf-8") as f:
        right = set(f)
    return {"equal": left == right, "only_hardwired": len(left - right), "only_profile": len(right - left)}


def lookups(folder):
    """Look-ups made and the national pass's seconds from the shape-B run's log lines."""
    path = os.path.join(folder, "lookups.log")
    return lookup_figures(read(path)) if os.path.exists(path) else None


def contract(folder, n):
    out = {"n": n, "load": [read(os.path.join(folder, f"load.{e}")).strip() for e in ("start", "end")]}
    for step in ("full", "offline"):
        hard, prof = steps(folder, step, "hardwired"), steps(folder, step, "profile")
        out[step] = {"hardwired": summary(hard), "profile": summary(prof),
                     "cpu_ratio": round(median(prof, "cpu_s") / median(hard, "cpu_s"), 3),
                     "wall_ratio": round(median(prof, "wall_s") / median(hard, "wall_s"), 3),
                     "findings": same_sets(hard[0]["findings_file"], prof[0]["findings_file"])}
    return out


def shape_b(folder, n):
    out = {"n": n, "load": [read(os.path.join(folder, f"load.{e}")).strip() for e in ("start", "end")]}
    for step in ("full", "offline"):
        out[step] = summary(steps(folder, step, "profile"))
    out["lookups"] = lookups(folder)
    return out


def fmt(x):
    return f"{x:,}" if isinstance(x, int) else f"{x:g}"


def verdict(ratio):
    return "met" if ratio <= TARGET else "**missed**"


def table(result):
    lines = [f"Release builds: profile reader {result['commit']}, hard-wired reader {result['baseline']}.", "",
             "| N | step | hard-wired wall / CPU s | profile wall / CPU s | CPU ratio (≤ 1.2) | wall ratio | "
             "peak RSS MB (hard-wired / profile) | findings (hard-wired / profile, sets) |",
             "|---:|---|---:|---:|---:|---:|---:|---|"]
    for c in result["contract"]:
        for step in ("full", "offline"):
            s = c[step]
            h, p, f = s["hardwired"], s["profile"], s["findings"]
            sets = "equal" if f["equal"] else f"{f['only_hardwired']} only hard-wired, {f['only_profile']} only profile"
            lines.append(f"| {c['n']:,} | {step} ({len(p['runs'])} run{'s' if len(p['runs']) > 1 else ''}) | "
                         f"{fmt(h['wall_s'])} / {fmt(h['cpu_s'])} | {fmt(p['wall_s'])} / {fmt(p['cpu_s'])} | "
                         f"{s['cpu_ratio']} {verdict(s['cpu_ratio'])} | {s['wall_ratio']} | "
                         f"{fmt(h['peak_rss_mb'])} / {fmt(p['peak_rss_mb'])} | "
                         f"{h['findings']:,} / {p['findings']:,}, {sets} |")
    if result["shape_b"]:
        by_n = {c["n"]: c for c in result["contract"]}
        lines += ["", "Shape B through the shape-b profiles, against the hard-wired reader on the contract shape of "
                  "the same world (same seed and N):", "",
                  "| N | step | wall s | CPU s | CPU ÷ hard-wired contract | peak RSS MB | read | findings | look-ups |",
                  "|---:|---|---:|---:|---:|---:|---|---:|---|"]
        for b in result["shape_b"]:
            for step in ("full", "offline"):
                s = b[step]
                c = by_n.get(b["n"])
                ratio = f"{round(s['cpu_s'] / c[step]['hardwired']['cpu_s'], 3)}" if c else "–"
                read_ = (f"{s['provincial_read']:,} + {s['national_read']:,}" if "provincial_read" in s else "dump")
                look = "–"
                if step == "full" and b["lookups"]:
                    lk = b["lookups"]
                    look = f"{lk['made']:,} in {lk['seconds']:g} s ({fmt(lk['per_second'])}/s)"
                lines.append(f"| {b['n']:,} | {step} | {fmt(s['wall_s'])} | {fmt(s['cpu_s'])} | {ratio} | "
                             f"{fmt(s['peak_rss_mb'])} | {read_} | {s['findings']:,} | {look} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="path without extension: .json and .md are written")
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--commit", required=True)
    parser.add_argument("folders", nargs="+")
    args = parser.parse_args()
    result = {"baseline": args.baseline, "commit": args.commit, "contract": [], "shape_b": []}
    try:
        for folder in sorted(args.folders, key=lambda f: (("-b-" in f), int(f.rsplit("-", 1)[1]))):
            n = int(folder.rsplit("-", 1)[1])
            if os.path.basename(folder).startswith("ratio-b-"):
                result["shape_b"].append(shape_b(folder, n))
            else:
                result["contract"].append(contract(folder, n))
    except (ReportError, OSError, ValueError) as e:
        print(f"profile_ratio.py: {e}", file=sys.stderr)
        return 2
    with open(args.out + ".json", "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    with open(args.out + ".md", "w", encoding="utf-8") as f:
        f.write(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
