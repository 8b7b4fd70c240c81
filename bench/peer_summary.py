"""peer_summary.py: the PHP peer's rows in bench/run's summary (issue 16).

The peer (../shared/peer-bench, bench/peer.sh) answers its identity POST
after checking it; the product answers at once and checks in
kosmo-forgot-id's background threads (D1). So the pair compares work done,
not answers: identities checked per second over the run and its drain, and
the whole machine's CPU per identity checked (the drain included). The token
pair compares redemptions answered. Both sides are paired within one round
(same minute of a shared machine, order swapped in even rounds) and the
ratios product / peer are taken per round, then their median.
"""
import statistics

# benchlib imports this module at its top, so only benchlib.NAME at call time
# works here, in either import order (bench/run runs benchlib.py, data_scale.py
# imports it): `from benchlib import ...` would meet a half-loaded module.
import benchlib

PEER_KINDS = ("php_identity", "php_redeem")
PAIRS = (("identity_post", "php_identity", "identity checked"), ("token_post", "php_redeem", "token redeemed"))


def posts_answered(run):
    """POSTs the peer answered: identity 303, redeem 200 (its ID page); the
    form GETs answer 200 too, and wrk checks one request() it never sends."""
    w = run["wrk"]
    if run["kind"] == "php_redeem":
        return w["status"].get("200", 0) - (w["sent_get"] - 1)
    return w["status"].get("303", 0)


def check_peer_run(run):
    """The peer's proof of work from its own tables against what wrk saw."""
    kind = run["kind"]
    w = run["wrk"]
    problems = []
    problems += benchlib.socket_problems(w)
    statuses = {int(k): v for k, v in w["status"].items()}
    # A 500 of the peer's identity POST is its own answer to a deadlock that
    # its one retry did not cure (its lib.php; its REPEATABLE READ gap locks
    # on recovery_tokens): rolled back, nothing written. Counted apart, not
    # as answered work, and not a failed check.
    failed = statuses.pop(500, 0) if kind == "php_identity" else 0
    run["peer_500"] = failed
    bad = {s: n for s, n in statuses.items() if not 200 <= s < 400}
    if bad:
        problems.append(f"non-2xx/3xx answers {bad}")
    form_gets = w["sent_get"] - 1
    if kind == "php_identity" and statuses.get(200, 0) != form_gets:
        problems.append(f"{statuses.get(200, 0)} answers 200 for {form_gets} form GETs (a POST answered 200?)")
    if w.get("exhausted"):
        problems.append(f"the data ran out ({w['exhausted']} requests without a fresh item)")
    answered = posts_answered(run)
    sent = w["sent_post"] - failed
    in_flight = sent - answered
    if in_flight < 0 or in_flight > run["connections"]:
        problems.append(f"{sent} POSTs sent, {answered} answered")
    if benchlib.delta(run, "php_sessions") != form_gets:
        problems.append(f"sessions +{benchlib.delta(run, 'php_sessions')} for {form_gets} form GETs")

    def within(key, label):
        d = benchlib.delta(run, key)
        if not answered <= d <= sent:
            problems.append(f"{label} +{d}, wrk answered {answered} of {sent} sent")
        return d

    if kind == "php_identity":
        done = within("php_identity_all", "identity audit rows")
        issued = benchlib.delta(run, "php_issued")
        if not w["sent_match"] - in_flight <= issued <= w["sent_match"]:
            problems.append(f"issued +{issued}, matching submissions sent {w['sent_match']}")
        for key in ("php_tokens", "php_mails"):
            if benchlib.delta(run, key) != issued:
                problems.append(f"{key} +{benchlib.delta(run, key)} != issued {issued}")
        if benchlib.delta(run, "php_not_issued") != done - issued:
            problems.append("mismatch + unknown_card != identity rows - issued")
        for key in ("php_limited", "php_redeemed", "php_redeem_other"):
            if benchlib.delta(run, key):
                problems.append(f"{key} +{benchlib.delta(run, key)}")
        for key in ("php_hits_ip", "php_hits_card"):
            if benchlib.delta(run, key) != done:
                problems.append(f"{key} +{benchlib.delta(run, key)} != identity attempts {done}")
    else:
        redeemed = within("php_redeemed", "redeemed audit rows")
        if benchlib.delta(run, "php_tokens_used") != redeemed:
            problems.append(f"tokens used +{benchlib.delta(run, 'php_tokens_used')} != redeemed {redeemed}")
        for key in ("php_redeem_other", "php_identity_all", "php_tokens"):
            if benchlib.delta(run, key):
                problems.append(f"{key} +{benchlib.delta(run, key)}")
    return problems


def work_done(run):
    """(units of work, seconds they took) of a paired row."""
    seconds = run["wrk"]["duration_us"] / 1e6
    kind = run["kind"]
    if kind == "identity_post":
        checks = sum(benchlib.delta(run, k) for k in ("id_matched", "id_unmatched", "id_limited"))
        return checks, seconds + float(run.get("settle_seconds") or 0)
    if kind == "token_post":
        return run["wrk"]["status"].get("303", 0), seconds
    if kind == "php_identity":
        return benchlib.delta(run, "php_identity_all"), seconds
    return posts_answered(run), seconds


def machine_us(run, units):
    """Whole-machine CPU (every process, the kernel's network work included)
    per unit of work, from the sample before wrk to the end of the work."""
    before = run["cpu_before"]
    after = run.get("cpu_settled") or run["cpu_after"]
    m0, m1 = before["_machine"], after["_machine"]
    ticks = (m1["busy"] + m1["irq"]) - (m0["busy"] + m0["irq"])
    return ticks * 1e6 / before["_clk_tck"] / units if units else None


def stack_us(run, units):
    """The bench stack's own CPU per unit (nginx, the program or php-fpm,
    mariadbd, wrk): what other people's load on the machine does not add to."""
    before = run["cpu_before"]
    after = run.get("cpu_settled") or run["cpu_after"]
    ticks = sum(after[n]["ticks"] - before[n]["ticks"] for n in ("nginx", run["program"], "mariadbd")
                if n in before and n in after)
    ticks += run["wrk"]["cpu_ticks"]
    return ticks * 1e6 / before["_clk_tck"] / units if units else None


def pair_figures(runs):
    """Per (pair, connections, round): the product's and the peer's rate and CPU."""
    out = []
    for product, peer, unit in PAIRS:
        keys = sorted({(r["connections"], r["round"]) for r in runs if r["kind"] == product})
        for conns, rnd in keys:
            a = [r for r in runs if r["kind"] == product and r["connections"] == conns and r["round"] == rnd]
            b = [r for r in runs if r["kind"] == peer and r["connections"] == conns and r["round"] == rnd]
            if not a or not b:
                continue
            a, b = a[0], b[0]
            (na, sa), (nb, sb) = work_done(a), work_done(b)
            out.append({
                "pair": f"{product} / {peer}", "unit": unit, "connections": conns, "round": rnd,
                "first": a["row"] if a["t_start"] < b["t_start"] else b["row"],
                "rate": (na / sa if sa else 0, nb / sb if sb else 0),
                "machine_us": (machine_us(a, na), machine_us(b, nb)),
                "stack_us": (stack_us(a, na), stack_us(b, nb)),
                "p99_ms": (a["wrk"]["p99_us"] / 1000, b["wrk"]["p99_us"] / 1000),
                "others": (a.get("others"), b.get("others")),
            })
    return out


def ratio(pair):
    return pair[0] / pair[1] if pair[0] is not None and pair[1] else None


# (MariaDB 10.11 keeps the Innodb_rows_* counters at 0: the handler's own count rows.)
DB_COLUMNS = (("questions", "statements"), ("com_commit", "commits"), ("handler_read_key", "index lookups"),
              ("handler_read_next", "rows read next"), ("handler_write", "rows written"),
              ("handler_update", "rows updated"), ("handler_delete", "rows deleted"),
              ("innodb_os_log_written", "redo bytes"), ("innodb_data_fsyncs", "fsyncs"))


def db_lines(runs):
    """MariaDB's side per unit of work of each paired row: status deltas."""
    rows = [r for r in runs if r.get("status_before") and r["kind"] in [k for p in PAIRS for k in p[:2]]]
    if not rows:
        return []
    lines = ["MariaDB per unit of work (SHOW GLOBAL STATUS deltas over the run and, for the product's identity"
             " row, its drain; they include bench/run's own few polls of the queue):", "",
             "| row | conns | round | units | " + " | ".join(label for _, label in DB_COLUMNS) + " | mariadbd µs |",
             "|---|---:|---:|---:|" + "---:|" * len(DB_COLUMNS) + "---:|"]
    for r in rows:
        units, _ = work_done(r)
        if not units:
            continue
        before, after = r["status_before"], r["status_after"]
        cells = [benchlib.fmt((after.get(k, 0) - before.get(k, 0)) / units, 0 if k == "innodb_os_log_written" else 2)
                 for k, _ in DB_COLUMNS]
        b, a = r["cpu_before"], r.get("cpu_settled") or r["cpu_after"]
        db_us = (a["mariadbd"]["ticks"] - b["mariadbd"]["ticks"]) * 1e6 / b["_clk_tck"] / units
        lines.append(f"| {r['label']} | {r['connections']} | {r['round']} | {units:,} | " + " | ".join(cells)
                     + f" | {db_us:,.0f} |")
    lines.append("")
    return lines


def peer_section(runs):
    """The summary's section: per round, the medians, the targets of issue 16."""
    figures = pair_figures(runs)
    if not figures:
        return [], []
    lines = ["## Product ÷ PHP peer (issue 16)", "",
             "Each pair ran in the same round, one after the other (the order swaps in even rounds: ABBA),"
             " each after its own unmeasured warm-up. Identity: identities fully checked per second, for the"
             " product from the start of wrk to the end of kosmo-forgot-id's drain (D1 checks after the"
             " answer), for the peer its answered POSTs (it checks before answering). Whole-machine CPU: every"
             " process of the machine and the kernel's network work per unit, the drain included, so other"
             " people's load on this shared machine adds to both sides; 'stack CPU' counts only the bench's"
             " processes (nginx, the program or php-fpm, mariadbd, wrk). Only the ratios within a round mean"
             " something on a shared machine; absolute figures move with everyone else's load.", "",
             "| pair | conns | round | first | product /s | peer /s | **rate ratio** | machine µs product / peer"
             " | **CPU ratio** | stack µs product / peer | stack ratio | p99 ms product / peer |",
             "|---|---:|---:|---|---:|---:|---:|---|---:|---|---:|---|"]
    for f in figures:
        lines.append(
            f"| {f['unit']} | {f['connections']} | {f['round']} | {f['first']} | "
            f"{benchlib.fmt(f['rate'][0])} | {benchlib.fmt(f['rate'][1])} | {benchlib.fmt(ratio(f['rate']), 2)} | "
            f"{benchlib.fmt(f['machine_us'][0])} / {benchlib.fmt(f['machine_us'][1])} | "
            f"{benchlib.fmt(ratio(f['machine_us']), 2)} | "
            f"{benchlib.fmt(f['stack_us'][0])} / {benchlib.fmt(f['stack_us'][1])} | "
            f"{benchlib.fmt(ratio(f['stack_us']), 2)} | {f['p99_ms'][0]:.2f} / {f['p99_ms'][1]:.2f} |")
    lines += ["", "| pair | conns | rounds | median rate ratio (range) | median CPU ratio (range) |"
              " median stack CPU ratio | worst product p99 ms |", "|---|---:|---:|---|---|---:|---:|"]
    targets = []
    for unit in [u for _, _, u in PAIRS]:
        for conns in sorted({f["connections"] for f in figures if f["unit"] == unit}):
            rows = [f for f in figures if f["unit"] == unit and f["connections"] == conns]
            rates = [ratio(f["rate"]) for f in rows if ratio(f["rate"]) is not None]
            cpus = [ratio(f["machine_us"]) for f in rows if ratio(f["machine_us"]) is not None]
            stacks = [ratio(f["stack_us"]) for f in rows if ratio(f["stack_us"]) is not None]
            worst = max(f["p99_ms"][0] for f in rows)
            if not rates:
                continue
            mr, mc = statistics.median(rates), statistics.median(cpus) if cpus else None
            lines.append(f"| {unit} | {conns} | {len(rows)} | **{mr:.2f}** ({min(rates):.2f}-{max(rates):.2f}) | "
                         f"**{benchlib.fmt(mc, 2)}** ({benchlib.fmt(min(cpus) if cpus else None, 2)}-"
                         f"{benchlib.fmt(max(cpus) if cpus else None, 2)}) | "
                         f"{benchlib.fmt(statistics.median(stacks) if stacks else None, 2)} | {worst:.2f} |")
            if conns == 16:
                targets.append((f"{unit} per second ≥ 2.0× the PHP peer at 16 conns (median)", f"{mr:.2f}×", mr >= 2.0))
                targets.append((f"whole-machine CPU per {unit} ≤ 0.5× the PHP peer at 16 conns (median)",
                                f"{benchlib.fmt(mc, 2)}×", mc is not None and mc <= 0.5))
    lines.append("")
    lines += db_lines(runs)
    return lines, targets
