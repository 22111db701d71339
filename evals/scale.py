"""The scale benchmark, run by `make bench` after its usual measures: a synthetic corpus of
10,000 and 100,000 provisions, in embedded Chroma and on a Chroma server, searched by 1, 4 and
20 concurrent clients. Writes evals/reports/scale.json and prints the table.

What is measured, and what is not:
- The corpus is many generated documents in the official layout (`knowledge/FORMAT.md`),
  parsed by the real parser: 20 articles of 4 clauses each per document.
- Vectors are random unit vectors (seeded by each passage's text): this measures the index,
  not the embedding model, whose cost `make bench` reports on its own (cold build).
- Search is the product's hybrid search (`Retriever.search`: references, accent restoration,
  Chroma, BM25 over every passage, fusion), timed per query while 1, 4 or 20 threads search
  at once in one process (the app serves every session from one process).
- BM25 runs over every passage at both sizes. Its tokens are syllables and syllable pairs
  only: pyvi's word segmentation, which the product adds, costs about 20–30 ms a passage here
  (measured and reported), so segmenting 100,000 passages would take most of an hour on this
  machine; it is paid once, when the keyword cache is first built, not per question.
- Build: seconds per 1,000 provisions for the index (Chroma writes and the build's checks);
  start-up: a fresh process loading the pack, opening and checking the index, and loading the
  keyword cache. RSS is the peak of that process (and, on a server, of the server).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from evals.metrics import percentile

SIZES = (10_000, 100_000)
CLIENTS = (1, 4, 20)
QUERIES = 200  # per concurrency level, shared among the clients
ARTICLES, CLAUSES = 20, 4  # per generated document: 1 + 20 * (1 + 4) = 101 provisions
PYVI_LIMIT = 5_000  # above this many provisions, keyword tokens skip pyvi (see above)
ROOT = Path(__file__).resolve().parents[1]


class RandomEmbedder:
    """Random unit vectors, the same for the same text: the index's cost without a model's."""

    name = "bench-random"
    dim = 384

    def _vector(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
        v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return v / np.linalg.norm(v)

    def embed_passages(self, texts) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim))

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


# --- the corpus ------------------------------------------------------------------------------


def _vocabulary() -> list[str]:
    from knowledge.pack import load_pack

    pack = load_pack()
    words = re.findall(r"[^\W\d_]+", " ".join(p.text for p in pack.provisions.values()))
    return sorted({w.lower() for w in words if len(w) > 1})


def write_corpus(folder: Path, provisions: int, seed: int = 7) -> int:
    """Documents in the official layout holding about `provisions` provisions; returns how
    many documents were written."""
    rng = random.Random(seed)
    vocab = _vocabulary()
    per_doc = 1 + ARTICLES * (1 + CLAUSES)
    documents = max(1, round(provisions / per_doc))
    folder.mkdir(parents=True, exist_ok=True)

    def sentence(n: int) -> str:
        text = " ".join(rng.choice(vocab) for _ in range(n))
        return text[0].upper() + text[1:] + "."

    for d in range(documents):
        number = 1000 + d
        lines = [
            "---",
            f"id: qd-{number}-2030",
            f"number: {number}-QĐ/TW",
            "kind: Quy định",
            f"title: Quy định thử nghiệm số {number} về {sentence(4)[:-1].lower()}",
            "issuer: Ban Thử nghiệm",
            "signer: null",
            "signed: 2030-01-01",
            "effective: 2030-01-15",
            "status: in_force",
            "applies_to: Văn bản giả lập cho đo quy mô.",
            "text: official",
            "sources: []",
            "---",
            "",
            "## Chương I. Quy định chung",
            "",
        ]
        for a in range(1, ARTICLES + 1):
            lines += [f"### Điều {a}. {sentence(5)[:-1]}", ""]
            lines += [f"{c}. {sentence(rng.randint(12, 28))}" for c in range(1, CLAUSES + 1)]
            lines.append("")
        (folder / f"qd-{number}-2030.md").write_text("\n".join(lines), encoding="utf-8")
    return documents


def questions(folder: Path, n: int, seed: int = 11) -> list[str]:
    """Questions made of words of the corpus, some naming an article ("Điều 7 …")."""
    rng = random.Random(seed)
    files = sorted(folder.glob("*.md"))
    out = []
    for i in range(n):
        text = rng.choice(files).read_text(encoding="utf-8")
        clause = rng.choice(re.findall(r"^\d+\. (.+)$", text, re.M)).rstrip(".").split()
        start = rng.randrange(max(1, len(clause) - 6))
        words = " ".join(clause[start : start + rng.randint(3, 6)])
        out.append(f"Điều {rng.randint(1, ARTICLES)} quy định gì về {words}?" if i % 5 == 0 else
                   f"{words.capitalize()} được quy định thế nào?")  # fmt: skip
    return out


# --- one configuration, in its own process ---------------------------------------------------

WORKER = """
import json, sys
from evals.scale import worker
print(json.dumps(worker(json.loads(sys.argv[1]))))
"""


def worker(job: dict) -> dict:
    """Build (job "build") or start and search (job "search") in this process."""
    from assistant.retrieval import Retriever
    from assistant.settings import Settings

    settings = Settings(
        data_dir=Path(job["data"]),
        documents_dir=Path(job["docs"]),
        chroma_url=job.get("url"),
        build_wait_s=0,
    )
    if job["provisions"] > PYVI_LIMIT:
        import knowledge.keyword

        knowledge.keyword.words = lambda text: []  # see the module docstring
    start = time.perf_counter()
    retriever = Retriever.load(settings, embedder=RandomEmbedder())
    loaded = time.perf_counter() - start
    result = {"rss_mb": _rss_mb(), "records": len(retriever.keyword.ids)}
    if job["kind"] == "build":
        report = retriever.build_report
        result |= {"build_s": report.seconds, "load_s": round(loaded, 2), "total": report.total}
        return result
    result["startup_s"] = round(loaded, 2)
    qs = job["questions"]
    retriever.search(qs[0])  # warm-up
    result["clients"] = {}
    for clients in CLIENTS:
        result["clients"][str(clients)] = _searches(retriever, qs, clients)
    result["rss_mb"] = _rss_mb()
    return result


def _searches(retriever, qs: list[str], clients: int) -> dict:
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)
    per_client = max(1, QUERIES // clients)

    def run(c: int) -> None:
        barrier.wait()
        mine = []
        for i in range(per_client):
            q = qs[(c * per_client + i) % len(qs)]
            t = time.perf_counter()
            retriever.search(q)
            mine.append((time.perf_counter() - t) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return {
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "queries_per_s": round(len(latencies) / wall, 1),
    }


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _run(job: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(job)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ | {"ANONYMIZED_TELEMETRY": "False"},
    )
    if done.returncode != 0:
        raise RuntimeError(f"scale worker failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- a Chroma server, started and stopped by its own PID ---------------------------------------


class ChromaServer:
    def __init__(self, path: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.log = (path.parent / "chroma-server.log").open("wb")
        chroma = Path(sys.executable).with_name("chroma")
        self.proc = subprocess.Popen(
            [str(chroma), "run", "--host", "127.0.0.1", "--port", str(self.port),
             "--path", str(path)],
            stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the Chroma server did not start") from None
                time.sleep(0.3)

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return round(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024, 1)

    def stop(self) -> None:
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


# --- the table ---------------------------------------------------------------------------------


def pyvi_ms_per_passage(folder: Path, n: int = 300) -> float:
    from knowledge.text import words

    texts = [m for f in sorted(folder.glob("*.md"))[:5] for m in
             re.findall(r"^\d+\. (.+)$", f.read_text(encoding="utf-8"), re.M)][:n]  # fmt: skip
    start = time.perf_counter()
    for t in texts:
        words(t)
    return round((time.perf_counter() - start) * 1000 / len(texts), 2)


def run(sizes=SIZES) -> dict:
    rows = []
    with tempfile.TemporaryDirectory(prefix="quydinh-scale-") as tmp:
        for size in sizes:
            docs = Path(tmp) / f"docs-{size}"
            documents = write_corpus(docs, size)
            qs = questions(docs, QUERIES)
            for mode in ("embedded", "server"):
                data = Path(tmp) / f"data-{size}-{mode}"
                server = ChromaServer(Path(tmp) / f"server-{size}") if mode == "server" else None
                job = {"docs": str(docs), "data": str(data), "provisions": size,
                       "url": server.url if server else None}  # fmt: skip
                try:
                    built = _run(job | {"kind": "build"})
                    searched = _run(job | {"kind": "search", "questions": qs})
                    server_rss = server.peak_rss_mb() if server else None
                finally:
                    if server:
                        server.stop()
                rows.append(
                    {
                        "provisions": built["total"],
                        "documents": documents,
                        "store": mode,
                        "build_s_per_1000": round(built["build_s"] / built["total"] * 1000, 2),
                        "build_s": built["build_s"],
                        "startup_s": searched["startup_s"],
                        "rss_mb": searched["rss_mb"],
                        "server_rss_mb": server_rss,
                        "search": searched["clients"],
                        "keyword_tokens": "pyvi" if size <= PYVI_LIMIT else "syllables",
                    }
                )
                print(_line(rows[-1]), flush=True)
        pyvi = pyvi_ms_per_passage(Path(tmp) / f"docs-{sizes[0]}")
    return {
        "rows": rows,
        "pyvi_ms_per_passage": pyvi,
        "vectors": "random unit vectors, 384 dimensions",
        "queries_per_level": QUERIES,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }


HEADER = (
    f"{'quy định':>9} {'kho':<9} {'khách':>5} {'p50 ms':>8} {'p95 ms':>8} {'RSS MB':>8} "
    f"{'dựng s/1000':>11} {'khởi động s':>11}"
)


def _line(row: dict) -> str:
    lines = []
    for clients, s in row["search"].items():
        rss = f"{row['rss_mb']:.0f}"
        if row["server_rss_mb"]:
            rss += f"+{row['server_rss_mb']:.0f}"
        lines.append(
            f"{row['provisions']:>9} {row['store']:<9} {clients:>5} {s['p50_ms']:>8} "
            f"{s['p95_ms']:>8} {rss:>8} {row['build_s_per_1000']:>11} {row['startup_s']:>11}"
        )
    return "\n".join(lines)


def main() -> None:
    from evals.runner import REPORTS

    sizes = tuple(int(s) for s in os.environ.get("QUYDINH_SCALE_SIZES", "").split(",") if s)
    print("\nĐo quy mô (vector ngẫu nhiên; RSS máy chủ cộng sau dấu +):")
    print(HEADER)
    result = run(sizes or SIZES)
    REPORTS.mkdir(parents=True, exist_ok=True)
    path = REPORTS / "scale.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"BM25 trên mọi đoạn, từ khóa là âm tiết và cặp âm tiết (không tách từ pyvi: pyvi tốn "
        f"{result['pyvi_ms_per_passage']} ms mỗi đoạn, chỉ một lần khi tạo bộ nhớ đệm). "
        f"Đã ghi {path}."
    )


if __name__ == "__main__":
    main()
