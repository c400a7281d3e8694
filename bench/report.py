#!/usr/bin/python3
"""Turns one benchmark run's files into figures (collect) and the figures of every N into tables (table).

  report.py collect --n N --dir bench/out/work-N --out bench/out/N.json
  report.py table --out bench/out/table.md bench/out/*.json

collect reads what bench/run left in the work directory: /usr/bin/time -v reports (NAME.time), the raw client's
counts, the ledger's runs, findings of the service and of both offline tools, load.py results.
"""
import argparse
import json
import os
import platform
import re
import sys

TARGETS = {
    "full_over_raw": 2.0,          # full cycle within 2x the raw ceiling at 1M
    "incremental_over_full": 0.03,  # incremental <= 3 % of full
    "rss_mb": 150,                 # peak RSS at 1M
    "offline_over_pandas": 1.0,    # offline engine faster than pandas
    "api_p99_ms": 50,              # at 200 req/s
}


class ReportError(Exception):
    pass


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise ReportError(f"{path}: {e.strerror}") from None


def time_report(path):
    """Wall, user, sys seconds and peak RSS (MB) from a `/usr/bin/time -v` report."""
    text = read(path)
    fields = {}
    for line in text.splitlines():
        name, _, value = line.strip().rpartition(": ")
        fields[name] = value
    try:
        wall = fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
        seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall)))
        user = float(fields["User time (seconds)"])
        system = float(fields["System time (seconds)"])
        rss_kb = int(fields["Maximum resident set size (kbytes)"])
    except (KeyError, ValueError) as e:
        raise ReportError(f"{path}: not a complete /usr/bin/time -v report ({e})") from None
    return {"wall_s": round(seconds, 2), "user_s": user, "sys_s": system, "cpu_s": round(user + system, 2),
            "peak_rss_mb": round(rss_kb / 1024, 1)}


def finding_set(path):
    """(key, kind, reason) of every JSON finding line in path."""
    found = set()
    for number, line in enumerate(read(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            f = json.loads(line)
            found.add((f["key"], f["kind"], f["reason"]))
        except (ValueError, KeyError, TypeError):
            raise ReportError(f"{path}:{number}: not a finding with key, kind and reason") from None
    return found


def lookup_figures(text):
    """Look-ups made, found, and the national pass's seconds and rate, from a run's `lookups_done` and national
    `poll_done` log lines; None when the log has not both."""
    done = re.search(r"^info lookups_done .*$", text, re.M)
    poll = re.search(r"^info poll_done side=national .*$", text, re.M)
    if not done or not poll:
        return None
    done = dict(re.findall(r"(\w+)=(\S+)", done.group(0)))
    poll = dict(re.findall(r"(\w+)=(\S+)", poll.group(0)))
    made = sum(int(done.get(k, 0)) for k in ("found", "not_found", "rejected", "failed"))
    seconds = float(poll["seconds"])
    return {"made": made, "found": int(done.get("found", 0)), "seconds": seconds,
            "per_second": round(made / seconds, 1) if seconds else None}


def tsv_set(path):
    return {tuple(line.split("\t")) for line in read(path).splitlines() if line}


def machine():
    cpu = "unknown"
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", read("/proc/meminfo")).group(1))
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release()}


def ratio(a, b):
    return round(a / b, 4) if b else None


def collect(n, d):
    j = lambda name: json.loads(read(os.path.join(d, name)))
    p = lambda name: os.path.join(d, name)
    result = {"n": n, "machine": machine(),
              "load_average": {"start": read(p("load.start")).split(), "end": read(p("load.end")).split()}}
    raw = time_report(p("raw.time"))
    raw.update(j("raw.out"))
    raw["db_mb"] = round(sum(os.path.getsize(f) for f in (p("raw.db"), p("raw.db-wal")) if os.path.exists(f)) / 2**20, 1)
    result["raw"] = raw
    runs = j("runs.json")
    if len(runs) != 2:
        raise ReportError(f"{p('runs.json')}: expected the full and the incremental run, found {len(runs)}")
    for name, run in (("full", runs[0]), ("incremental", runs[1])):
        figures = time_report(p(f"{name}.time"))
        figures.update({"status": run["status"], "provincial_read": run["provincial_read"],
                        "national_read": run["national_read"]})
        result[name] = figures
    ledger = p("svc/ledger.db")
    result["full"]["ledger_mb"] = round(sum(os.path.getsize(f) for f in (ledger, ledger + "-wal") if os.path.exists(f)) / 2**20, 1)
    result["mutated"] = j("mutate.json").get("changed")

    offline, pandas, service = finding_set(p("offline.out")), finding_set(p("pandas.out")), tsv_set(p("full.findings.tsv"))
    result["offline"] = time_report(p("offline.time"))
    result["pandas"] = time_report(p("pandas.time"))
    result["findings"] = {
        "offline": len(offline), "pandas": len(pandas), "service_open_after_full": len(service),
        "offline_equals_pandas": offline == pandas,
        "offline_minus_pandas": sorted(map(list, offline - pandas))[:10],
        "pandas_minus_offline": sorted(map(list, pandas - offline))[:10],
        "service_equals_offline": service == offline,
        "service_minus_offline": sorted(map(list, service - offline))[:10],
        "offline_minus_service": sorted(map(list, offline - service))[:10],
        "as_of": read(p("as_of")).strip(),
    }
    api = {}
    for endpoint in ("findings", "metrics"):
        api[endpoint] = {"load": j(f"api_{endpoint}.load.json")}
    result["api"] = api
    result["ratios"] = {
        "full_over_raw": ratio(result["full"]["wall_s"], raw["wall_s"]),
        "incremental_over_full": ratio(result["incremental"]["wall_s"], result["full"]["wall_s"]),
        "incremental_cpu_over_full_cpu": ratio(result["incremental"]["cpu_s"], result["full"]["cpu_s"]),
        "offline_over_pandas": ratio(result["offline"]["wall_s"], result["pandas"]["wall_s"]),
        "offline_cpu_over_pandas_cpu": ratio(result["offline"]["cpu_s"], result["pandas"]["cpu_s"]),
    }
    return result


def verdict(ok):
    return "met" if ok else "**missed**"


def table(results):
    lines = []
    m = results[0]["machine"]
    lines.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, kernel {m['kernel']}.\n")
    for r in results:
        lines.append(f"### N = {r['n']:,} dossiers per side\n")
        lines.append(f"Load average {' '.join(r['load_average']['start'])} at start, "
                     f"{' '.join(r['load_average']['end'])} at end; as-of {r['findings']['as_of']}; "
                     f"{r['mutated']:,} dossiers mutated for the incremental cycle.\n")
        lines.append("| step | wall s | CPU s (user+sys) | peak RSS MB | notes |")
        lines.append("|---|---:|---:|---:|---|")
        raw = r["raw"]
        lines.append(f"| raw ceiling (download + bulk insert) | {raw['wall_s']} | {raw['cpu_s']} | {raw['peak_rss_mb']} | "
                     f"{raw['provincial_records']:,} + {raw['national_records']:,} records, "
                     f"{raw['provincial_pages'] + raw['national_pages']} pages, {raw['bytes'] / 2**20:.0f} MiB, "
                     f"db {raw['db_mb']} MiB |")
        for name in ("full", "incremental"):
            s = r[name]
            extra = f", ledger {s['ledger_mb']} MiB" if "ledger_mb" in s else ""
            lines.append(f"| `run --once` {name} | {s['wall_s']} | {s['cpu_s']} | {s['peak_rss_mb']} | "
                         f"{s['status']}, read {s['provincial_read']:,} + {s['national_read']:,}{extra} |")
        f = r["findings"]
        lines.append(f"| `dvcrecon reconcile` (offline) | {r['offline']['wall_s']} | {r['offline']['cpu_s']} | "
                     f"{r['offline']['peak_rss_mb']} | {f['offline']:,} findings |")
        lines.append(f"| `reconcile_pandas.py` | {r['pandas']['wall_s']} | {r['pandas']['cpu_s']} | "
                     f"{r['pandas']['peak_rss_mb']} | {f['pandas']:,} findings; same (key, kind, reason) set: "
                     f"{'yes' if f['offline_equals_pandas'] else '**NO**'} |")
        lines.append("")
        lines.append(f"Service's open findings after the full cycle equal the offline ones: "
                     f"{'yes' if f['service_equals_offline'] else '**NO**'} ({f['service_open_after_full']:,}).\n")
        lines.append("| API endpoint | rate req/s (achieved) | p50 ms | p90 ms | p99 ms | max ms | not 200 / failed |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for endpoint, path in (("findings", "/api/findings?limit=50"), ("metrics", "/metrics")):
            load = r["api"][endpoint]["load"]
            lat = load["latency_ms"]
            non_200 = sum(v for k, v in load["status"].items() if k != "200")
            failed = sum(load["errors"].values())
            lines.append(f"| `{path}` | {load['target_rate']:.0f} ({load['achieved_rate']}) | {lat['p50']} | "
                         f"{lat['p90']} | {lat['p99']} | {lat['max']} | {non_200} / {failed} |")
        lines.append("")
    lines.append("### Ratios and targets\n")
    lines.append("| N | full ÷ raw (≤ 2) | incremental ÷ full, wall (≤ 0.03) | incremental ÷ full, CPU | "
                 "offline ÷ pandas, wall (< 1) | offline ÷ pandas, CPU | peak RSS full / incr MB (≤ 150) | "
                 "API p99 findings / metrics ms (< 50) |")
    lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        q = r["ratios"]
        loads = [r["api"][e]["load"] for e in ("findings", "metrics")]
        p99 = [load["latency_ms"]["p99"] for load in loads]
        all_answered = all(set(load["status"]) == {"200"} and not load["errors"] for load in loads)
        lines.append(f"| {r['n']:,} | {q['full_over_raw']} {verdict(q['full_over_raw'] <= TARGETS['full_over_raw'])} | "
                     f"{q['incremental_over_full']} {verdict(q['incremental_over_full'] <= TARGETS['incremental_over_full'])} | "
                     f"{q['incremental_cpu_over_full_cpu']} | "
                     f"{q['offline_over_pandas']} {verdict(q['offline_over_pandas'] < TARGETS['offline_over_pandas'])} | "
                     f"{q['offline_cpu_over_pandas_cpu']} | "
                     f"{r['full']['peak_rss_mb']} / {r['incremental']['peak_rss_mb']} "
                     f"{verdict(max(r['full']['peak_rss_mb'], r['incremental']['peak_rss_mb']) <= TARGETS['rss_mb'])} | "
                     f"{p99[0]} / {p99[1]} "
                     f"{verdict(all_answered and all(v is not None and v < TARGETS['api_p99_ms'] for v in p99))} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("collect")
    c.add_argument("--n", type=int, required=True)
    c.add_argument("--dir", required=True)
    c.add_argument("--out", required=True)
    t = sub.add_parser("table")
    t.add_argument("--out", required=True)
    t.add_argument("results", nargs="+")
    args = parser.parse_args()
    try:
        if args.command == "collect":
            result = collect(args.n, args.dir)
            with open(args.out, "w", encoding="utf-8") as f:
                json.dump(result, f, indent=2, ensure_ascii=False)
            if not result["findings"]["offline_equals_pandas"]:
                print(f"report.py: N={args.n}: dvcrecon reconcile and pandas disagree (see {args.out})", file=sys.stderr)
                return 1
        else:
            results = sorted((json.loads(read(path)) for path in args.results), key=lambda r: r["n"])
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(table(results))
    except ReportError as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 3
    except (KeyError, TypeError, ValueError) as e:
        print(f"report.py: a result file lacks an expected figure: {e!r}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
