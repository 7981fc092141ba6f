"""Throughput of `repair fix` on damaged documents built from the clean corpus.

    python benchmarks/bench.py [--docs N] [--jobs 1,2] [--seed S] [--corpus DIR] [--no-memory]

Prints, for one corpus:
  * a plain text cleaner, the floor: read, strip converter pinyin, t2s, punctuation width, write;
  * the whole repair on one core (in this process), with the time of every stage and detector;
  * the real CLI with -j for each N: documents/s, MB/s, speed-up, peak memory of a process;
  * the CLI with -j 1 on a quarter, a half and all of the corpus: peak memory should stay flat.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import regex as re

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.decisions import write_atomic  # noqa: E402
from repair.engines import cpu_count  # noqa: E402
from repair.rules import RuleSet, load_rules  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "clean"


# ---------------------------------------------------------------- corpus


def build_corpus(corpus: Path, count: int, seed: int, folder: Path) -> list[Path]:
    """`count` damaged documents as UTF-8 files; the damage generator when present, else glued articles."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        from repair.damage import make_set
    except ImportError:
        texts = _glued(corpus, count, seed)
    else:
        texts = [(d.name or f"doc-{n:04d}", d.text) for n, d in enumerate(make_set(corpus, count, seed))]
    paths = []
    for n, (name, text) in enumerate(texts):
        path = folder / f"{n:04d}-{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _glued(corpus: Path, count: int, seed: int) -> list[tuple[str, str]]:
    import random

    rng = random.Random(seed)
    articles = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    docs = []
    for n in range(count):
        picked = rng.sample(articles, min(len(articles), rng.choice([1, 1, 2, 3])))
        text = "\n\n".join(picked).replace("，", ",", rng.randrange(20))  # a page, some half-width commas
        docs.append((f"glued-{n:04d}", text))
    return docs


# ---------------------------------------------------------------- timing helpers


class Stopwatch:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - started

    def wrap(self, stage: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs):
            with self(stage):
                return fn(*args, **kwargs)

        return timed


def megabytes(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 1e6


# ---------------------------------------------------------------- the floor


def floor_clean(paths: list[Path], out: Path, rules: RuleSet) -> float:
    """A plain text cleaner with the repair's cheapest text rules and none of its structure work."""
    from repair.script import convert

    pinyin = re.compile(rules.get("converter-pinyin").param("pattern"))
    marks: dict[str, str] = rules.get("half-width-punctuation").param("marks")
    half = "[" + re.escape("".join(marks)) + "]"
    width = re.compile(rf"(?<=\p{{Han}}){half}|{half}(?=\p{{Han}})")
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for path in paths:
        text = path.read_bytes().decode("utf-8")
        text = pinyin.sub("", text)
        text = convert(text, "t2s")
        text = width.sub(lambda m: marks[m.group()], text)
        write_atomic(out / f"{path.stem}.md", text)
    return time.perf_counter() - started


# ---------------------------------------------------------------- whole repair, one core, by stage


def repair_by_stage(paths: list[Path], out: Path, rules: RuleSet) -> tuple[float, Stopwatch]:
    """The stages of `repair.jobs.prepare_file` + `write_pending`, each timed; every detector timed too."""
    from repair import detectors
    from repair.pipeline import analyze_text, build
    from repair.reading import read_document
    from repair.report import build_report, report_json

    watch = Stopwatch()
    originals = dict(detectors.DETECTORS)
    for name, fn in originals.items():
        detectors.DETECTORS[name] = watch.wrap(f"  detector {name}", fn)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        for path in paths:
            with watch("read + decode"):
                text = read_document(path)
            with watch("analyze (detectors)"):
                analysis = analyze_text(text, path.name, rules)
            with watch("build (replay, arrange, render)"):
                result = build(analysis, rules)
            names = [f"{a.name}.md" for a in result.articles]
            with watch("report"):
                report = report_json(build_report(result, str(path), rules.version, names, text))
            with watch("write"):
                for article, name in zip(result.articles, names):
                    write_atomic(out / name, article.markdown)
                write_atomic(out / f"{path.stem}.report.json", report)
    finally:
        detectors.DETECTORS.update(originals)
    return time.perf_counter() - started, watch


# ---------------------------------------------------------------- the real CLI


def run_cli(inputs: Path, out: Path, jobs: int) -> tuple[float, int, int]:
    """(wall seconds, exit code, peak resident memory of any one process in MB) of `repair fix`."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "repair", "fix", str(inputs), "-o", str(out), "-j", str(jobs), "-q"]
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)  # rusage of the CLI and its workers (max over them)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.read().decode("utf-8", "replace"))
    proc.stderr.close()
    return seconds, proc.returncode, usage.ru_maxrss // 1024


# ---------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=300, help="damaged documents to build (default 300)")
    ap.add_argument("--jobs", default=None, help="comma-separated -j values (default 1 and every power of 2 up to the cores)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of clean articles")
    ap.add_argument("--no-memory", action="store_true", help="skip the memory-growth runs")
    ap.add_argument("--keep", type=Path, help="build the corpus and outputs here and keep them")
    args = ap.parse_args(argv)
    jobs = [int(j) for j in args.jobs.split(",")] if args.jobs else _default_jobs()

    work = args.keep or Path(tempfile.mkdtemp(prefix="repair-bench-"))
    try:
        return _bench(args, jobs, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _default_jobs() -> list[int]:
    cores, jobs = cpu_count(), [1]
    while jobs[-1] * 2 <= cores:
        jobs.append(jobs[-1] * 2)
    if jobs[-1] != cores:
        jobs.append(cores)
    return jobs


def _bench(args: argparse.Namespace, jobs: list[int], work: Path) -> int:
    rules = load_rules()
    paths = build_corpus(args.corpus, args.docs, args.seed, work / "in")
    size = megabytes(paths)
    print(f"corpus: {len(paths)} damaged documents, {size:.2f} MB, from {args.corpus} (seed {args.seed}); {cpu_count()} cores")

    floor = floor_clean(paths, work / "floor", rules)
    repair_file_warmup(paths[0], rules)
    whole, watch = repair_by_stage(paths, work / "stages", rules)
    print("\none core, in process:")
    print(f"  floor (read, pinyin, t2s, width, write)  {floor:8.2f} s  {len(paths) / floor:8.1f} docs/s  {size / floor:6.2f} MB/s")
    print(f"  whole repair                             {whole:8.2f} s  {len(paths) / whole:8.1f} docs/s  {size / whole:6.2f} MB/s")
    print(f"  whole repair / floor                     {whole / floor:8.1f}x   (target: <= 2x; >= 1 MB/s per core)")
    print("\ntime per stage (one core):")
    for stage, seconds in sorted(watch.seconds.items(), key=lambda kv: (kv[0].startswith(" "), -kv[1])):
        print(f"  {stage:<40} {seconds:8.2f} s  {100 * seconds / whole:5.1f}%  {1000 * seconds / len(paths):7.1f} ms/doc")

    print("\nrepair fix -j N (the CLI: process start-up, worker warm-up and the manifest included):")
    base = None
    for n in jobs:
        seconds, code, peak = run_cli(work / "in", work / f"out-j{n}", n)
        base = base or seconds
        print(f"  -j {n:<3} {seconds:8.2f} s  {len(paths) / seconds:8.1f} docs/s  {size / seconds:6.2f} MB/s"
              f"  speed-up {base / seconds:4.2f}  peak {peak} MB/process  exit {code}")

    if not args.no_memory:
        print("\nmemory as the corpus grows (repair fix -j 1):")
        for share in (4, 2, 1):
            part = work / f"part-{share}"
            part.mkdir(exist_ok=True)
            subset = paths[: max(1, len(paths) // share)]
            for path in subset:
                if not (part / path.name).exists():
                    os.link(path, part / path.name)
            seconds, code, peak = run_cli(part, work / f"out-part-{share}", 1)
            print(f"  {len(subset):5d} docs {megabytes(subset):7.2f} MB  {seconds:8.2f} s  peak {peak} MB")
    return 0


def repair_file_warmup(path: Path, rules: RuleSet) -> None:
    """Load the lazily read dictionaries (jieba, OpenCC) before timing, as a long-lived worker has them."""
    from repair.pipeline import repair_text
    from repair.reading import read_document

    repair_text(read_document(path), path.name, rules=rules)


if __name__ == "__main__":
    sys.exit(main())
