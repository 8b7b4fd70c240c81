#!/usr/bin/python3
"""Checks strace logs against the SystemCallFilter= of a systemd unit.

    syscall_filter.py UNIT_FILE STRACE_LOG...

Expands the unit's SystemCallFilter= lines the way systemd does (the first
allow list sets the list, later ones add to it, "~" lines remove), with the
groups taken from `systemd-analyze syscall-filter` on this machine, and
prints every system call the traced processes made that the filter would
refuse (EPERM under SystemCallErrorNumber=EPERM). Exit 1 if there is one.
"""
import re
import subprocess
import sys

_groups = {}


def expand(name):
    if not name.startswith("@"):
        return {name}
    if name not in _groups:
        out = subprocess.run(["systemd-analyze", "syscall-filter", name], check=True,
                             capture_output=True, text=True).stdout
        members = set()
        for line in out.splitlines()[1:]:
            item = line.strip()
            if not item or item.startswith("#"):
                continue
            members |= expand(item)
        _groups[name] = members
    return _groups[name]


def unit_filter(unit_file):
    allowed = None
    lines = [l.split("=", 1)[1].strip() for l in open(unit_file, encoding="utf-8")
             if l.startswith("SystemCallFilter=")]
    if not lines:
        sys.exit(f"{unit_file}: no SystemCallFilter=")
    for value in lines:
        deny = value.startswith("~")
        names = set().union(*(expand(n) for n in value.lstrip("~").split()))
        if deny:
            if allowed is None:
                sys.exit(f"{unit_file}: a deny list without an allow list is not what this checks")
            allowed -= names
        else:
            allowed = names if allowed is None else allowed | names
    return allowed


CALL = re.compile(r"^(?:\[pid\s+)?\d*\]?\s*([a-z_0-9]+)\(")
RESUMED = re.compile(r"<\.\.\. ([a-z_0-9]+) resumed>")


def traced_calls(log):
    calls = set()
    for line in open(log, encoding="utf-8", errors="replace"):
        line = re.sub(r"^\d+\s+", "", line)
        m = CALL.match(line) or RESUMED.search(line)
        if m:
            calls.add(m.group(1))
    return calls


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    allowed = unit_filter(sys.argv[1])
    refused = 0
    for log in sys.argv[2:]:
        calls = traced_calls(log)
        if not calls:
            print(f"{log}: no system calls traced")
            refused += 1
        bad = sorted(calls - allowed)
        for name in bad:
            print(f"{log}: {name} is refused by {sys.argv[1]}")
        refused += len(bad)
        if not bad:
            print(f"ok: {log}: all {len(calls)} system calls are allowed")
    sys.exit(1 if refused else 0)


if __name__ == "__main__":
    main()
