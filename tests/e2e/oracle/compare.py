#!/usr/bin/env python3
"""Compares a reconciler's findings (and optionally its sync rates) with reference.py's.

  compare.py --binary BIN --provincial F --national F (--params params.json | --as-of T [--grace G])
  compare.py --findings FILE ...           # a findings JSONL file produced elsewhere instead of BIN
  ... [--sync-rate REPORT.json]            # also compare `dvcrecon report sync-rate --format json`

With --binary it runs `BIN reconcile --provincial F --national F --as-of T --grace G --format jsonl`
(docs/cli.md#reconcile), with `--provincial-profile shape-b` / `--national-profile shape-b` for a side
given `--provincial-shape b` / `--national-shape b` (`--shape b`: both sides). The reference reads a
national shape-B file as a look-up-only service sees it (national records without a provincial one
are not seen), while `reconcile` reads the file as a complete list: with national shape B compare a
service's findings (--findings). The sets of (key, kind, reason) must be equal; the diff names every
finding that is missing, extra, or has a different reason, with the case description when a
cases.jsonl sits next to the provincial file. Exit status: 0 equal, 1 different, 2 could not compare (usage, the binary
failed, unreadable output).
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402  (the oracle sits next to this file)

PROVINCE_ALIASES = {"", "*", "ALL", "PROVINCE", "TOTAL", "TINH"}


class CompareError(Exception):
    pass


def run_binary(binary, provincial, national, as_of, grace, timeout_s, shapes):
    command = [binary, "reconcile", "--provincial", provincial, "--national", national,
               "--as-of", as_of, "--grace", str(grace), "--format", "jsonl"]
    for side, shape in zip(("provincial", "national"), shapes):
        if shape == "b":
            command += [f"--{side}-profile", "shape-b"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout_s)
    except FileNotFoundError:
        raise CompareError(f"binary {binary} not found")
    except subprocess.TimeoutExpired:
        raise CompareError(f"{binary} reconcile did not finish within {timeout_s} s")
    stderr = done.stderr.decode("utf-8", "replace").strip()
    # Exit 0 is expected; 1 ("findings-level failure") is tolerated as long as findings were printed.
    if done.returncode not in (0, 1):
        tail = "\n".join(stderr.splitlines()[-5:])
        raise CompareError(f"{' '.join(command)} exited with status {done.returncode}:\n{tail}")
    if done.returncode == 1:
        print(f"note: {binary} reconcile exited with status 1", file=sys.stderr)
    return done.stdout.decode("utf-8", "replace"), stderr


def parse_findings(text, source):
    """{(key, kind): reason} from JSON lines; duplicates of (key, kind) are themselves a diff."""
    findings, duplicates = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise CompareError(f"{source} line {number} is not JSON: {line[:120]!r}")
        if not isinstance(item, dict) or not all(isinstance(item.get(f), str)
                                                 for f in ("key", "kind", "reason")):
            raise CompareError(f"{source} line {number} is not a finding with key, kind and reason: "
                               f"{line[:120]!r}")
        ident = (item["key"], item["kind"])
        if ident in findings:
            duplicates.append(ident)
        findings[ident] = item["reason"]
    return findings, duplicates


def load_cases(provincial):
    path = os.path.join(os.path.dirname(os.path.abspath(provincial)), "cases.jsonl")
    cases = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                case = json.loads(line)
                cases[case["key"]] = case["what"]
    return cases


def diff_findings(expected, actual, duplicates, cases, label):
    """Prints the diff; returns the number of differences."""
    missing = sorted(k for k in expected if k not in actual)
    extra = sorted(k for k in actual if k not in expected)
    different = sorted(k for k in expected if k in actual and expected[k] != actual[k])

    def note(key):
        return f"   # {cases[key]}" if key in cases else ""

    if missing:
        print(f"MISSING in {label} ({len(missing)}): reference raises, {label} does not")
        for key, kind in missing:
            print(f"  {key}  {kind}  {expected[(key, kind)]}{note(key)}")
    if extra:
        print(f"EXTRA in {label} ({len(extra)}): {label} raises, reference does not")
        for key, kind in extra:
            print(f"  {key}  {kind}  {actual[(key, kind)]}{note(key)}")
    if different:
        print(f"DIFFERENT REASON ({len(different)}):")
        for key, kind in different:
            print(f"  {key}  {kind}  reference {expected[(key, kind)]}, {label} "
                  f"{actual[(key, kind)]}{note(key)}")
    if duplicates:
        print(f"DUPLICATE (key, kind) in {label} output ({len(duplicates)}):")
        for key, kind in sorted(set(duplicates)):
            print(f"  {key}  {kind}{note(key)}")
    return len(missing) + len(extra) + len(different) + len(duplicates)


def load_report(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        rows = json.loads(text)
    except ValueError:
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise CompareError(f"{path} is not a JSON array of sync-rate rows")
    return rows


def unit_of(row):
    unit = row.get("unit_code")
    if unit is None or str(unit).strip().upper() in PROVINCE_ALIASES:
        return None
    return reference.normalize_code(unit)


def rate_matches(actual, expected):
    """The report may state the rate as a fraction or as a percentage."""
    if expected is None or actual is None:
        return expected is None and actual is None
    return abs(actual - expected) < 1e-6 or abs(actual - 100 * expected) < 1e-4


def diff_sync_rates(report_rows, reference_rows_by_kind):
    """Compares the rows of the periods the report covers; returns the number of differences."""
    problems = 0
    seen = set()
    for row in report_rows:
        period = str(row.get("period"))
        kind = "quarter" if "-Q" in period else "month"
        ident = (unit_of(row), period)
        seen.add(ident)
        expected = reference_rows_by_kind[kind].get(ident)
        label = f"unit {ident[0] or '(province)'} period {period}"
        if expected is None:
            print(f"SYNC RATE EXTRA: {label} is not in the reference ({row})")
            problems += 1
            continue
        for field in ("total", "fully_synced"):
            if row.get(field) != expected[field]:
                print(f"SYNC RATE {label}: {field} reference {expected[field]}, report {row.get(field)}")
                problems += 1
        if not rate_matches(row.get("rate"), expected["rate"]):
            print(f"SYNC RATE {label}: rate reference {expected['rate']}, report {row.get('rate')}")
            problems += 1
    periods = {period for _, period in seen}
    for kind_rows in reference_rows_by_kind.values():
        for ident, expected in sorted(kind_rows.items(), key=lambda item: (item[0][1], item[0][0] or "")):
            if ident[1] in periods and ident not in seen:
                print(f"SYNC RATE MISSING: unit {ident[0] or '(province)'} period {ident[1]} "
                      f"(reference total {expected['total']}, fully_synced {expected['fully_synced']})")
                problems += 1
    return problems


def short(path):
    """Last folder and file name: enough to tell the data sets of one run apart."""
    return os.path.join(os.path.basename(os.path.dirname(os.path.abspath(path))), os.path.basename(path))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--binary", help="the dvcrecon binary to run")
    source.add_argument("--findings", help="a findings JSONL file to compare instead")
    parser.add_argument("--provincial", required=True)
    parser.add_argument("--national", required=True)
    parser.add_argument("--params", help="params.json with as_of and grace")
    parser.add_argument("--as-of")
    parser.add_argument("--grace", type=int)
    parser.add_argument("--status-map", help="for the reference only (JSON or file)")
    parser.add_argument("--shape", choices=reference.SHAPES, help="the wire shape of both files")
    parser.add_argument("--provincial-shape", choices=reference.SHAPES)
    parser.add_argument("--national-shape", choices=reference.SHAPES)
    parser.add_argument("--sync-rate", metavar="REPORT", help="dvcrecon report-style JSON to compare")
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args(argv)

    as_of, grace = args.as_of, args.grace
    if args.params:
        with open(args.params, encoding="utf-8") as handle:
            params = json.load(handle)
        as_of = as_of or params["as_of"]
        grace = grace if grace is not None else params["grace"]
    if as_of is None:
        parser.error("--as-of or --params is required")
    grace = reference.DEFAULT_GRACE_S if grace is None else grace
    shapes = (args.provincial_shape or args.shape or "contract", args.national_shape or args.shape or "contract")

    try:
        as_of_epoch = reference.parse_as_of(as_of)
        status_map = reference.load_status_map(args.status_map, shapes[0])
        quiet = reference.Reporter(None)
        ref_findings, pending, provincials = reference.evaluate_files(
            args.provincial, args.national, as_of_epoch, grace, status_map, quiet, *shapes)
        expected = {(f["key"], f["kind"]): f["reason"] for f in ref_findings}
        if args.binary:
            text, _ = run_binary(args.binary, args.provincial, args.national, as_of, grace, args.timeout, shapes)
            label = os.path.basename(args.binary)
        else:
            with open(args.findings, encoding="utf-8") as handle:
                text = handle.read()
            label = os.path.basename(args.findings)
        actual, duplicates = parse_findings(text, label)
        problems = diff_findings(expected, actual, duplicates, load_cases(args.provincial), label)
        if args.sync_rate:
            by_kind = {}
            for kind in ("month", "quarter"):
                rows = reference.sync_rates(provincials, ref_findings, pending, kind, quiet)
                by_kind[kind] = {(r["unit_code"], r["period"]): r for r in rows}
            problems += diff_sync_rates(load_report(args.sync_rate), by_kind)
    except (CompareError, ValueError, OSError, KeyError) as error:
        print(f"compare.py: {error}", file=sys.stderr)
        return 2

    data = f"{short(args.provincial)} + {short(args.national)}"
    if problems:
        print(f"DIFF: {data}: {problems} difference(s) between {label} and the reference "
              f"({len(expected)} reference findings, {len(actual)} from {label})")
        return 1
    print(f"OK: {data}: {len(expected)} findings equal"
          + (", sync rates equal" if args.sync_rate else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
