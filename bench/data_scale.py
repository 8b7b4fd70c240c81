#!/usr/bin/python3
"""bench/run --data-scale's helpers (bench/data_scale.sh):

  data_scale.py members-csv FIRST LAST FILE   members FIRST..LAST as an insurer's CSV
  data_scale.py fcgi-times SOCKET PATH COUNT  ms of COUNT FastCGI GETs straight to a program's socket
  data_scale.py summary RESULTS_DIR           summary.md of a data-scale run
"""
import csv
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402  (the bench's members and hash)
import peer_summary  # noqa: E402  (work_done: the same units as the peer comparison)


def members_csv(first, last, path):
    """Members beyond the bench's 100,000 under login IDs of their own (5...),
    in kosmo-admin import-members' columns, with the bench's argon2id hash."""
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["login_id", "card_symbol", "card_number", "birth_date", "email", "display_name",
                      "password_hash", "has_logged_in"])
        for i in range(first, last + 1):
            m = benchlib.member(i)
            out.writerow([f"5{i:012d}", m["card_symbol"], f"{i:08d}", m["birth_date"], m["email"] or "",
                          f"会員{i:07d}", benchlib.PASSWORD_HASH, 1 if m["logged_in"] else 0])


def fcgi_times(sock, path, count):
    """GET PATH on the program's own socket, as nginx would send it: the
    program's time and its database's, without TLS or a client's start."""
    ms = []
    for _ in range(count):
        t = time.perf_counter()
        status = benchlib.fcgi_get(sock, path)
        ms.append((time.perf_counter() - t) * 1000)
        if status != "200":
            raise SystemExit(f"{path}: status {status}")
    print(" ".join(f"{x:.1f}" for x in ms))


def per_second(run):
    """Work done per second, as the comparison with the PHP peer counts it:
    token POSTs answered while wrk ran; identities checked (audit rows), from
    wrk's start to the last check's own audit time, the drain after wrk
    included (D1 checks after the answer, so the answers alone would hide a
    backlog that grows with the data)."""
    units, seconds = peer_summary.work_done(run)
    return units / seconds if seconds else 0


def nginx_us(run):
    """nginx's CPU per request answered while wrk ran."""
    before, after = run["cpu_before"], run["cpu_after"]
    requests = run["wrk"]["requests"]
    ticks = after["nginx"]["ticks"] - before["nginx"]["ticks"]
    return ticks * 1e6 / before["_clk_tck"] / requests if requests else 0


def page_reads(run):
    """Pages MariaDB read from disk during the row (not in the buffer pool)."""
    key = "innodb_buffer_pool_reads"
    before, after = run.get("status_before", {}), run.get("status_after", {})
    return after[key] - before[key] if key in before and key in after else "-"


def summarize(results):
    meta = json.load(open(os.path.join(results, "meta.json")))
    runs = [json.loads(line) for line in open(os.path.join(results, "runs.jsonl"))]
    rounds = meta["rounds"]
    times = {}
    for line in open(os.path.join(results, "scale-times.txt")):
        label, *ms = line.split()
        times[label] = [float(x) for x in ms]

    lines = [f"# Data-scale bench {meta['started_utc']}", ""]
    lines.append(f"Machine: {meta['machine']}. Load average before: {meta['load_before']}, after: "
                 f"{meta['load_after']} (the 2 cores are shared with other work: figures are noisy).")
    lines.append(f"Commit: {meta['commit']}. wrk {meta['duration']} a run, 16 connections, {rounds} rounds a size.")
    s = meta["scale"]
    lines.append(f"Small data: {meta['small']['members']} members, {meta['small']['audit_rows']} audit rows. "
                 f"Data scale: {s['members']} members, {s['audit_rows']} audit rows ({s['big_member_audit_rows']} "
                 f"of one member), {s['rate_limit_events']} rate-limit events, {s['sessions']} sessions; grown in "
                 f"{s['grow_seconds']} s (import of the added members {s['import_seconds'] or '-'} s, audit rows "
                 f"{s['audit_seconds']} s; counting the metrics totals of sql/007 once, as its migration "
                 f"does: {s['totals_seconds']} s). Before the scale rows, the indexes the rows write at random "
                 f"were read into the buffer pool in {s.get('warm_seconds') or '-'} s "
                 f"({s.get('warm_page_reads') or '-'} pages from disk), as traffic keeps them in a running database.")
    lines += ["", "The rounds alternate between the two data sets, each row on both back to back (small then "
              "scale, then scale then small: ABBA), so each pair met the machine at the same time. Round r's "
              f"scale row is round {rounds}+r. µs a unit: the stack's own CPU (nginx, the program, mariadbd, wrk) "
              "per identity checked or token POST answered. nginx µs a request: the same work on both data sets "
              "(TLS, HTTP, FastCGI), so it shows how fast the machine itself ran during the row.", "",
              "| row | round | data | done/s | µs a unit | nginx µs a request | pages read from disk | "
              "identity checks drained after wrk, s | p50 ms | p99 ms | database check |",
              "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    figures = {}
    by_round = {}
    for run in runs:
        size = "small" if run["round"] <= rounds else "scale"
        pair_round = run["round"] if size == "small" else run["round"] - rounds
        value = per_second(run)
        units, _ = peer_summary.work_done(run)
        cpu = peer_summary.stack_us(run, units)
        figures.setdefault((run["row"], size), []).append(value)
        by_round.setdefault((run["row"], pair_round), {})[size] = (value, cpu, nginx_us(run))
        problems = benchlib.check_run(run)
        w = run["wrk"]
        lines.append(f"| {run['label']} | {run['round']} | {size} | {value:.0f} | "
                     f"{f'{cpu:.0f}' if cpu else '-'} | {nginx_us(run):.0f} | {page_reads(run)} | "
                     f"{run['settle_seconds'] if run['kind'] == 'identity_post' else '-'} | {w['p50_us'] / 1000:.2f} | "
                     f"{w['p99_us'] / 1000:.2f} | {'ok' if not problems else '; '.join(problems)} |")
    lines += ["", "The target is judged on the pairs' rates as measured. Beside it, each pair's rate ratio times "
              "its ratio of nginx µs a request (scale ÷ small): the same ratio with the machine's own change of "
              "speed between the two rows taken out, since nginx did the same work on both.", "",
              "| row | small data (median) | data scale (median) | scale ÷ small, each round's pair | "
              "scale ÷ small (median of the pairs) | µs a unit, scale ÷ small (median) | target ≥ 0.90 | "
              "each pair, machine speed taken out | median |",
              "|---|---:|---:|---|---:|---:|---|---|---:|"]
    for row in ("identity_post", "token_post"):
        small = statistics.median(figures.get((row, "small"), [0]))
        scale = statistics.median(figures.get((row, "scale"), [0]))
        pairs = [by_round[k] for k in sorted(by_round) if k[0] == row and {"small", "scale"} <= set(by_round[k])]
        rates = [p["scale"][0] / p["small"][0] for p in pairs if p["small"][0]]
        cpus = [p["scale"][1] / p["small"][1] for p in pairs if p["small"][1] and p["scale"][1]]
        steady = [p["scale"][0] / p["small"][0] * p["scale"][2] / p["small"][2]
                  for p in pairs if p["small"][0] and p["small"][2]]
        ratio = statistics.median(rates) if rates else 0
        cpu_ratio = f"{statistics.median(cpus):.2f}" if cpus else "-"
        lines.append(f"| {row} | {small:.0f}/s | {scale:.0f}/s | {' / '.join(f'{x:.2f}' for x in rates) or '-'} | "
                     f"{ratio:.2f} | {cpu_ratio} | {'met' if ratio >= 0.9 else 'MISSED'} | "
                     f"{' / '.join(f'{x:.2f}' for x in steady) or '-'} | "
                     f"{f'{statistics.median(steady):.2f}' if steady else '-'} |")

    def row(label, key, target=None):
        ms = times.get(key)
        if not ms:
            return f"| {label} | - | - | - |"
        med = statistics.median(ms)
        verdict = "" if target is None else ("met" if med < target else "MISSED")
        return f"| {label} | {' / '.join(f'{x:.0f}' for x in ms)} | {med:.0f} | {verdict} |"

    lines += ["", "Times in ms. A whole kosmo-admin command includes its start and its database connection "
              "(`kosmo-admin --help` is the start alone); the 50 ms targets are judged on the work itself: "
              "the FastCGI request to kosmo-metrics, and the server time of member show's statements.", "",
              "| what | each run, ms | median ms | target < 50 ms |", "|---|---|---:|---|",
              row("GET /metrics, FastCGI straight to kosmo-metrics (program + database)", "metrics_fcgi", 50),
              row("GET /metrics through nginx (curl: its start and the TLS handshake included)", "metrics"),
              row("member show's statements, server time (SHOW PROFILES), sum of the four", "member_show_sql", 50),
              row("kosmo-admin member show (whole command, 1,000,000 audit rows)", "member_show"),
              row("kosmo-admin --help (process start only)", "admin_help"),
              row(f"kosmo-admin audit export of one day ({s['export_day_rows']} rows)", "audit_export_day"),
              row("kosmo-admin purge --dry-run", "purge_dry_run"),
              row("kosmo-admin purge (deletes the day past 365 days, batches of 5000)", "purge"),
              row("kosmo-admin purge again (nothing left to delete)", "purge_again")]
    text = "\n".join(lines) + "\n"
    open(os.path.join(results, "summary.md"), "w").write(text)
    print(text)
    return 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "members-csv":
        members_csv(int(argv[2]), int(argv[3]), argv[4])
        return 0
    if len(argv) == 5 and argv[1] == "fcgi-times":
        fcgi_times(argv[2], argv[3], int(argv[4]))
        return 0
    if len(argv) == 3 and argv[1] == "summary":
        return summarize(argv[2])
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
