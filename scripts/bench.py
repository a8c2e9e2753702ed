#!/usr/bin/env python3
"""`make bench`: Kehu under load on generated data, on SQLite and PostgreSQL,
against the floor of the same repository calls made directly.

For each database: seed BENCH_CUSTOMERS customers (default 100,000; the aim is
stated for 1,000,000), start the release `kehu`, drive it with wrk (a separate
process) for each scenario, then run the floor (crates/api/examples/floor.rs).
Prints a table, writes bench/results/<date>-<db>.csv and the latest tables to
docs/PERFORMANCE.md.

Environment: BENCH_CUSTOMERS, BENCH_SECONDS (per scenario, default 10),
BENCH_CONNECTIONS (default 16), BENCH_DBS (default "sqlite postgres"),
TEST_DATABASE_URL (PostgreSQL server, default the local one)."""
import datetime
import json
import os
import pathlib
import platform
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
KEHU = TARGET / "release" / "kehu"
FLOOR = TARGET / "release" / "examples" / "floor"
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
DBS = os.environ.get("BENCH_DBS", "sqlite postgres").split()
PG = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def log(*a):
    print("==>", *a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def call(base, path, token=None, body=None, method=None):
    req = urllib.request.Request(base + path, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
        req.data = json.dumps(body).encode()
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def database_url(db, work):
    if db == "sqlite":
        return f"sqlite://{work}/bench.db"
    prefix = PG.rsplit("/", 1)[0]
    subprocess.run(["psql", PG, "-qc", "DROP DATABASE IF EXISTS kehu_bench WITH (FORCE)"], check=True)
    subprocess.run(["psql", PG, "-qc", "CREATE DATABASE kehu_bench"], check=True)
    return f"{prefix}/kehu_bench"


def scenarios(rep, admin, cid):
    q = urllib.parse.quote("科技")
    return [
        ("list_rep", rep, "GET", "/api/v1/customers?limit=50", None),
        ("list_admin", admin, "GET", "/api/v1/customers?limit=50", None),
        ("filter_rep", rep, "GET", "/api/v1/customers?limit=50&stage=customer", None),
        ("search_rep", rep, "GET", f"/api/v1/customers?limit=50&q={q}", None),
        ("get_rep", rep, "GET", f"/api/v1/customers/{cid}", None),
        # {n} becomes a number unique per request: the same name twice is a
        # likely duplicate (409), not a create
        ("create_rep", rep, "POST", "/api/v1/customers", json.dumps({"name": "bench 客户 {n}"})),
        ("update_rep", rep, "PATCH", f"/api/v1/customers/{cid}", json.dumps({"notes": "bench"})),
        # twelve months of the seeded deals (one per customer), as the floor's window
        ("forecast_admin", admin, "GET", "/api/v1/forecast?period=month&periods=12&from=2025-12-01", None),
        ("forecast_rep", rep, "GET", "/api/v1/forecast?period=month&periods=12&from=2025-12-01", None),
        # the rep's deals and board (one deal per seeded customer); leads are
        # not seeded yet, so their list is not timed
        ("deals_rep", rep, "GET", "/api/v1/opportunities?limit=50&owner_id=me", None),
        ("board_rep", rep, "GET", "/api/v1/opportunities/board", None),
    ]


def run_db(db):
    work = tempfile.mkdtemp(prefix="kehu-bench-")
    url = database_url(db, work)
    env = dict(os.environ, DATABASE_URL=url, KEHU_LOG="warn")
    log(f"{db}: seeding {CUSTOMERS} customers")
    # the seed's own CPU time does not depend on what else the machine runs
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([KEHU, "seed", "--customers", str(CUSTOMERS)], env=env, check=True, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    seed_line = f"{out.stdout.strip()}; CPU of `kehu seed` {cpu:.1f} s; load average {load:.1f} when it started"
    log(seed_line)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([KEHU, "serve"], env=dict(env, KEHU_ADDR=f"127.0.0.1:{port}", KEHU_RATE_LIMIT_PER_SEC="0"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(400):
            try:
                call(base, "/readyz")
                break
            except Exception:
                time.sleep(0.1)
        tok = lambda email: call(base, "/api/v1/auth/login", body={"email": email, "password": "kehu-demo"})["access_token"]
        rep, admin = tok("rep0@seed.example"), tok("admin@seed.example")
        # one of the rep's own customers: the pool of their region is visible
        # to them too, but not theirs to update
        cid = call(base, "/api/v1/customers?limit=1&owner=me", rep)["data"][0]["id"]
        rows = {}
        for name, token, method, path, body in scenarios(rep, admin, cid):
            load = os.getloadavg()[0]
            wenv = dict(os.environ, WRK_NAME=name, WRK_METHOD=method, WRK_TOKEN=token)
            if body:
                wenv["WRK_BODY"] = body
            if method == "PATCH":
                wenv["WRK_IF_MATCH"] = "*"
            res = subprocess.run(["wrk", "-t1", f"-c{CONNS}", f"-d{SECONDS}s", "-s", str(ROOT / "bench/wrk.lua"), base + path],
                                 env=wenv, capture_output=True, text=True, check=True)
            line = next(l for l in res.stdout.splitlines() if l.startswith("CSV,"))
            _, n, rps, p50, p95, p99, errors, total = line.split(",")
            rows[n] = {"rps": float(rps), "p50": float(p50), "p95": float(p95), "p99": float(p99), "errors": int(errors),
                       "load": load}
            log(f"{db} {n}: {rps} req/s, p99 {p99} ms, {errors} errors")
        rows["_import"] = bench_import(base, rep)
    finally:
        server.terminate()
        server.wait()
    log(f"{db}: floor")
    res = subprocess.run([FLOOR, str(max(2, SECONDS // 2))], env=env, capture_output=True, text=True, check=True)
    for line in res.stdout.splitlines():
        n, qps, p50, p95, p99 = line.split(",")
        if n.endswith("_raw"):
            # the same aggregate in hand-written SQL: the yardstick for the repository's query
            rows[n[:-4]].update(raw_p50=float(p50))
            continue
        if n.endswith("_scan"):
            # the aggregate summed from the deals themselves: what the rollup saves
            rows[n[:-5]].update(scan_p50=float(p50))
            continue
        rows[n].update(floor_qps=float(qps), floor_p50=float(p50), floor_p99=float(p99))
    shutil.rmtree(work, ignore_errors=True)
    return seed_line, rows


IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "20000"))


def import_file(n):
    """A CSV of `n` rows as a Chinese Excel export would be: GBK, with a
    company, a contact, a mobile and an e-mail; one row in 20 repeats an
    earlier row's phone, so the within-file duplicate check has work."""
    lines = ["公司名称,联系人,手机,邮箱,备注"]
    for i in range(n):
        phone = 13000000000 + (i - 1 if i % 20 == 19 else i) * 7
        lines.append(f"导入测试{i}贸易有限公司,联系人{i},{phone},buyer{i}@import{i % 97}.example,第{i}行")
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def bench_import(base, token):
    """Uploads a file of IMPORT_ROWS rows and times its run (duplicate check
    against the seeded customers and within the file, policy skip) from
    POST …/run until the import is done."""
    req = urllib.request.Request(base + "/api/v1/imports?file_name=bench.csv", method="POST", data=import_file(IMPORT_ROWS))
    req.add_header("Authorization", "Bearer " + token)
    req.add_header("Content-Type", "text/csv")
    t0 = time.monotonic()
    with urllib.request.urlopen(req, timeout=300) as r:
        imp = json.loads(r.read())
    upload = time.monotonic() - t0
    t0 = time.monotonic()
    call(base, f"/api/v1/imports/{imp['id']}/run", token, body={})
    while True:
        st = call(base, f"/api/v1/imports/{imp['id']}", token)
        if st["status"] != "running":
            break
        time.sleep(0.05)
    took = time.monotonic() - t0
    c = st["counts"]
    log(f"import: {IMPORT_ROWS} rows in {took:.2f} s ({IMPORT_ROWS / took:.0f} rows/s), upload {upload:.2f} s, {c}")
    return {"rows": IMPORT_ROWS, "seconds": took, "rows_s": IMPORT_ROWS / took, "upload_s": upload, "counts": c, "status": st["status"]}


def table(db, seed_line, rows):
    head = ("| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | floor q/s (1 thread) | floor p50 ms | p50 ÷ floor "
            "| load avg |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    imp = rows.pop("_import", None)
    body = "".join(
        f"| {n} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p95']:.2f} | {r['p99']:.2f} | {r['errors']} | {r.get('floor_qps', 0):.0f} | "
        f"{r.get('floor_p50', 0):.2f} | "
        f"{(format(r['p50'] / r['floor_p50'], '.1f') + '×') if r.get('floor_p50') else '—'} | {r['load']:.1f} |\n"
        for n, r in rows.items())
    text = f"### {db}\n\n{seed_line}\n\n{head}{body}"
    for n, r in rows.items():
        if "raw_p50" in r:
            scan = (f"; summing the deals themselves instead, in hand-written SQL, takes {r['scan_p50']:.2f} ms"
                    if "scan_p50" in r else "")
            text += (f"\n{n}: the repository's aggregate p50 {r['floor_p50']:.2f} ms against the same aggregate in "
                     f"hand-written SQL {r['raw_p50']:.2f} ms: **{r['floor_p50'] / max(r['raw_p50'], 1e-9):.2f}×** "
                     f"(aim ≤ 1.5×){scan}; through the API p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms "
                     f"(aim ≤ 150 ms).\n")
    if imp:
        c = imp["counts"]
        aim = "meets" if imp["rows_s"] >= 20000 else "misses"
        text += (f"\nImport of {imp['rows']:,} GBK CSV rows by a rep, duplicate check against the customers above and within "
                 f"the file (policy skip): {imp['seconds']:.2f} s from run to done, **{imp['rows_s']:,.0f} rows/s** "
                 f"({aim} the aim of 20,000 rows/s); upload and parse {imp['upload_s']:.2f} s; "
                 f"created {c['created']}, skipped {c['skipped']}, failed {c['failed']}.\n")
    return text


def main():
    for tool in ["wrk", "psql"]:
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (apt-get install wrk postgresql-client)")
    date = datetime.date.today().isoformat()
    out = []
    for db in DBS:
        seed_line, rows = run_db(db)
        csv = ROOT / "bench/results" / f"{date}-{db}.csv"
        with open(csv, "w") as f:
            f.write("scenario,req_s,p50_ms,p95_ms,p99_ms,errors,floor_qps,floor_p50_ms,floor_p99_ms,load1\n")
            for n, r in rows.items():
                if n == "_import":
                    continue
                f.write(f"{n},{r['rps']:.0f},{r['p50']},{r['p95']},{r['p99']},{r['errors']},{r.get('floor_qps', 0):.0f},"
                        f"{r.get('floor_p50', 0)},{r.get('floor_p99', 0)},{r['load']:.2f}\n")
        t = table(db, seed_line, rows)
        print(t)
        out.append(t)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "?")
    doc = ROOT / "docs/PERFORMANCE.md"
    text = doc.read_text() if doc.exists() else ""
    marker = "<!-- bench results -->"
    head = text.split(marker)[0] if marker in text else text
    results = (f"{marker}\n\n## Latest run: {date}\n\nMachine: {os.cpu_count()} cores ({cpu}), {int(mem) // 1024 // 1024} GiB; "
               f"{CUSTOMERS:,} customers; wrk with 1 thread and {CONNS} connections, {SECONDS} s per scenario, on the same machine "
               f"as the server. \"load avg\" is the one-minute load average when the scenario started: above "
               f"about 2 on this machine, other work shared the cores and the figures are lower than the code allows."
               f"\n\n" + "\n".join(out))
    doc.write_text(head + results + "\n")
    log(f"wrote bench/results/{date}-*.csv and docs/PERFORMANCE.md")


if __name__ == "__main__":
    main()
