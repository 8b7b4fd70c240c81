#!/usr/bin/env python3
"""no_sql_concat: fails when SQL might be built from strings anywhere in fcgi/
(issue 5 item 6, ASVS V5.3.4). SQL reaches MariaDB only as

  * the text of a SqlStatement (string literals only), prepared by db.cpp,
  * a call whose argument is string literals only (START TRANSACTION, COMMIT,
    ROLLBACK, SET SESSION ..., SELECT @@wsrep_on),
  * or one of the ALLOWED calls below, each named with its reason.

Reported: an execute/executeQuery/executeUpdate/prepareStatement/addBatch call
with any other argument; a string literal holding SQL that is next to +, +=,
<< or inside std::format/snprintf/append; SQL literals outside a SqlStatement
or a literal-only call; createStatement() outside db.cpp.

  no_sql_concat.py [DIR...]     (default: fcgi/ of the repository)
Exit 0 clean, 1 findings (each printed as file:line: reason).
"""
import os
import re
import sys

# (file suffix, exact call text after whitespace is squeezed): the only
# non-literal SQL arguments there may be, and why.
ALLOWED = {
    # db.cpp prepares the registered SqlStatement texts (literals, checked below).
    ("fcgi/lib/db/db.cpp", "prepareStatement(which.text())"),
    # Connection::execute itself; its callers are checked like any call.
    ("fcgi/lib/db/db.cpp", "execute(sql::SQLString(std::string(sql_text)))"),
    # kosmo-admin migrate runs the shipped sql/NNN_*.sql files, statement by
    # statement: our own DDL, never input from a request.
    ("fcgi/admin/migrate.cpp", "execute(statement)"),
}

CALLS = re.compile(r"\b(execute|executeQuery|executeUpdate|prepareStatement|addBatch)\s*\(")
SQL = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|REPLACE\s+INTO|UNION\s+SELECT|DROP\s+TABLE|ALTER\s+TABLE|CREATE\s+TABLE|TRUNCATE)\b")
LITERAL = re.compile(r'(?:u8|u|U|L)?"(?:\\.|[^"\\\n])*"|(?:u8|u|U|L)?R"([^(\s]*)\((?:.|\n)*?\)\1"')


def strip_comments(text):
    """Blanks comments, keeping string literals, offsets and newlines."""
    out = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text[i] == '"' or (text[i] == "R" and text.startswith('R"', i)):
            m = LITERAL.match(text, i)
            if not m:
                out.append(text[i])
                i += 1
                continue
            out.append(m.group(0))
            i = m.end()
        elif text[i] == "'":
            m = re.compile(r"'(?:\\.|[^'\\\n])*'").match(text, i)
            j = m.end() if m else i + 1
            out.append(text[i:j])
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def matching_paren(text, open_index):
    depth = 0
    i = open_index
    while i < len(text):
        c = text[i]
        if c == '"':
            m = LITERAL.match(text, i)
            if m:
                i = m.end()
                continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def only_literals(arg):
    rest = LITERAL.sub("", arg)
    return arg.strip() != "" and rest.strip() == ""


def line_of(text, index):
    return text.count("\n", 0, index) + 1


def expand_literal_macros(text):
    """Replaces object-like macros defined as string literals only (a shared
    column list) by their literals; any other macro stays and is judged."""
    joined = re.sub(r"\\\n", "  ", text)
    for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+(.*)$", joined, re.M):
        name, body = m.group(1), m.group(2)
        if only_literals(body):
            text = re.sub(r"(?<![\w#])%s\b(?!\s*\()" % re.escape(name), lambda _m: " " + body.strip() + " ",
                          re.sub(r"^[ \t]*#[ \t]*define[ \t]+%s\b.*?(?<!\\)$" % re.escape(name), "",
                                 text, flags=re.M | re.S))
    return text


def preprocess(path):
    """The file with its own macros expanded by the C preprocessor (includes
    are dropped first, so only macros defined in the file expand: a column
    list or a statement-making macro built of literals becomes the literals
    the compiler sees). Returns (text, map from output line to source line),
    or None when no preprocessor is installed."""
    import shutil
    import subprocess
    cpp = shutil.which("g++") or shutil.which("cpp")
    if not cpp:
        return None
    source = open(path, encoding="utf-8", errors="replace").read()
    source = re.sub(r"^[ \t]*#[ \t]*(include|pragma)\b.*$", "", source, flags=re.M)
    args = [cpp, "-E", "-x", "c++", "-undef", "-nostdinc", "-"] if cpp.endswith("g++") else [cpp, "-undef", "-nostdinc"]
    done = subprocess.run(args, input=source, capture_output=True, text=True)
    if done.returncode != 0:
        return None
    lines, line_map, current = [], [], 1
    for line in done.stdout.split("\n"):
        marker = re.match(r'^# (\d+) "', line)
        if marker:
            current = int(marker.group(1))
            continue
        lines.append(line)
        line_map.append(current)
        current += 1
    return "\n".join(lines), line_map


def check_file(path, rel):
    expanded = preprocess(path)
    if expanded:
        text, line_map = expanded
        def original_line(text_, index):
            n = text_.count("\n", 0, index)
            return line_map[n] if n < len(line_map) else n + 1
    else:
        text = expand_literal_macros(strip_comments(open(path, encoding="utf-8", errors="replace").read()))
        original_line = line_of
    findings = []
    literal_calls = []  # spans of calls whose argument is literals only
    for m in CALLS.finditer(text):
        open_index = m.end() - 1
        close = matching_paren(text, open_index)
        if close < 0:
            continue
        arg = text[open_index + 1:close]
        if arg.strip() == "":
            continue  # a prepared statement run with its bound values
        if re.search(r"\bvoid\s+(\w+::)?$", text[max(0, m.start() - 40):m.start()]):
            continue  # the declaration of Connection::execute, not a call
        squeezed = re.sub(r"\s+", "", text[m.start():close + 1])
        allowed = any(rel.endswith(f) and re.sub(r"\s+", "", call) == squeezed for f, call in ALLOWED)
        if only_literals(arg):
            literal_calls.append((m.start(), close))
        elif not allowed:
            findings.append((original_line(text, m.start()), f"{m.group(1)}() with a non-literal argument: {squeezed[:90]}"))
    # SqlStatement initialisers: name and text must be literals.
    statement_spans = []
    for m in re.finditer(r"\bSqlStatement\s+\w+\s*\{", text):
        close = text.find("}", m.end())
        body = text[m.end():close]
        statement_spans.append((m.start(), close))
        if not only_literals(body.replace(",", "", 1)):
            findings.append((original_line(text, m.start()), "SqlStatement text is not string literals only"))
    for lit in LITERAL.finditer(text):
        if not SQL.search(lit.group(0)):
            continue
        start, end = lit.start(), lit.end()
        before = text[max(0, start - 40):start].rstrip()
        after = text[end:end + 40].lstrip()
        if re.search(r"(\+|\+=|<<)$", before) or re.match(r"(\+|<<)", after):
            findings.append((original_line(text, start), "SQL text joined with + or << (build SQL with ? placeholders)"))
            continue
        window = text[max(0, start - 80):start]
        if re.search(r"(format|snprintf|sprintf|append|std::string)\s*\(\s*$", window):
            findings.append((original_line(text, start), "SQL text passed to a string builder"))
            continue
        inside = any(a <= start <= b for a, b in statement_spans + literal_calls)
        if not inside:
            findings.append((original_line(text, start), "SQL text outside a SqlStatement or a literal-only call"))
    for m in re.finditer(r"\bcreateStatement\s*\(", text):
        if not rel.endswith("fcgi/lib/db/db.cpp"):
            findings.append((original_line(text, m.start()), "createStatement() outside db.cpp"))
    return findings


def main(argv):
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    roots = argv[1:] or [os.path.join(repo, "fcgi")]
    findings = 0
    files = 0
    for root in roots:
        walk = [(os.path.dirname(root), [], [os.path.basename(root)])] if os.path.isfile(root) else os.walk(root)
        for dirpath, _, names in walk:
            for name in sorted(names):
                if not name.endswith((".cpp", ".h", ".cc", ".hpp")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, repo)
                files += 1
                for line, reason in check_file(path, rel):
                    print(f"{rel}:{line}: {reason}")
                    findings += 1
    print(f"no_sql_concat: {files} files, {findings} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
