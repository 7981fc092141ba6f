"""`repair fix DIR -o OUT` as a batch: mirrored paths, resume, idempotence, kills, parallelism.

Every test runs the real CLI in a subprocess on real files.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, run_cli

MANIFEST = ".repair-manifest.jsonl"


# ---------------------------------------------------------------- helpers (also used by test_bad_input, test_ray)


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "repair", *args]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (hidden ones too) by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_files(folder: Path, expected: dict[str, bytes]) -> None:
    found = snapshot(folder)
    differ = sorted(k for k in found.keys() | expected.keys() if found.get(k) != expected.get(k))
    assert not differ, f"files that differ: {differ[:10]}"


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    """(mtime in ns, inode) of every file: a file rewritten, even with the same bytes, changes."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino) for p in folder.rglob("*") if p.is_file()}


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def failure_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("repair: ") and not line.startswith("repair: fixes by rule")
            and " documents: " not in line]


def copy_seeds(folder: Path, copies: int = 1) -> list[Path]:
    """The seeds, `copies` times over in sub-folders copy00/, copy01/, ... (one copy: directly in `folder`)."""
    made = []
    for n in range(copies):
        target = folder if copies == 1 else folder / f"copy{n:02d}"
        target.mkdir(parents=True, exist_ok=True)
        for seed in sorted(SEEDS.glob("*.txt")):
            made.append(Path(shutil.copy(seed, target / seed.name)))
    return made


def frozen_rules(tmp_path: Path) -> Path:
    """A copy of the bundled rules, so that runs compared with each other use the very same rules."""
    from repair.rules import default_rules_dir

    rules = tmp_path / "rules"
    if not rules.exists():
        shutil.copytree(default_rules_dir(), rules)
    return rules


# ---------------------------------------------------------------- layout


def test_mirrors_relative_paths_and_skips_sidecars(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "a" / "b").mkdir(parents=True)
    seed = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    (src / "a" / "b" / "deep.txt").write_text(seed, encoding="utf-8")
    (src / "a" / "note.md").write_text(seed, encoding="utf-8")
    (src / "top.htm").write_text("<html><body><article><h1>标题</h1><p>第一段，正文。</p></article></body></html>", encoding="utf-8")
    (src / "a" / "note.md.decisions.json").write_text('{"decisions": {}}', encoding="utf-8")
    (src / "ignored.pdf").write_bytes(b"%PDF-1.4")
    proc = run_cli("fix", str(src), "-o", str(out), "-j", "2")
    assert proc.returncode == 0, proc.stderr
    files = {name for name in snapshot(out) if not name.startswith(".")}
    assert files == {
        "a/b/deep.md", "a/b/deep.report.json", "a/note.md", "a/note.report.json", "top.md", "top.report.json",
    }
    assert (out / "a" / "b" / "deep.md").read_bytes() == (out / "a" / "note.md").read_bytes()
    assert "第一段，正文。" in (out / "top.md").read_text(encoding="utf-8")
    umask = os.umask(0o022)
    os.umask(umask)
    assert {p.stat().st_mode & 0o777 for p in out.rglob("*.md")} == {0o666 & ~umask}  # as open() would make them


def test_never_writes_into_the_input_tree(tmp_path: Path) -> None:
    src = tmp_path / "in"
    copy_seeds(src)
    (src / "sub").mkdir()
    shutil.copy(next(SEEDS.glob("002_*.txt")), src / "sub" / "page.txt")
    before, times = snapshot(src), stats(src)
    proc = run_cli("fix", str(src), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert snapshot(src) == before and stats(src) == times


@pytest.mark.parametrize("inside", ["out-in-input", "input-in-out", "same"])
def test_output_folder_overlapping_an_input_is_a_usage_error(tmp_path: Path, inside: str) -> None:
    src = tmp_path / "in"
    copy_seeds(src)
    out = {"out-in-input": src / "out", "input-in-out": tmp_path, "same": src}[inside]
    before = snapshot(src)
    proc = run_cli("fix", str(src), "-o", str(out))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "inside" in proc.stderr
    assert snapshot(src) == before


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    for args in (["-j", "0"], ["--engine", "nowhere"], ["-j", "two"]):
        proc = run_cli("fix", str(SEEDS), "-o", str(tmp_path / "out"), *args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, (args, proc.stderr)
    proc = run_cli("fix", str(tmp_path / "missing"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2 and "no such file" in proc.stderr


# ---------------------------------------------------------------- idempotence and resume


def test_second_run_rewrites_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_cli("fix", str(SEEDS), "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert "5 repaired, 0 up to date" in first.stderr
    files, times = snapshot(out), stats(out)
    second = run_cli("fix", str(SEEDS), "-o", str(out), "-j", "2")
    assert second.returncode == 0, second.stderr
    assert "0 repaired, 5 up to date, 0 failed" in second.stderr
    assert snapshot(out) == files and stats(out) == times
    # the summary still counts the documents' articles and fixes
    assert "7 articles" in first.stderr.replace("\n", " ") or "articles" in second.stderr


def test_changed_input_is_redone_and_its_stale_outputs_removed(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    copy_seeds(src)
    page = next(src.glob("002_*.txt"))
    assert run_cli("fix", str(src), "-o", str(out)).returncode == 0
    assert len(list(out.glob(f"{page.stem}-0*.md"))) > 1  # a page of several articles
    untouched = {k: v for k, v in stats(out).items() if not k.startswith(page.stem) and k != MANIFEST}
    page.write_text(next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_cli("fix", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "1 repaired, 4 up to date" in proc.stderr
    assert not list(out.glob(f"{page.stem}-0*.md"))
    assert (out / f"{page.stem}.md").read_bytes() == (out / f"{next(SEEDS.glob('000_*.txt')).stem}.md").read_bytes()
    assert {k: v for k, v in stats(out).items() if k in untouched} == untouched


def test_changed_decisions_redo_the_document(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    copy_seeds(src)
    assert run_cli("fix", str(src), "-o", str(out)).returncode == 0
    doc = next(src.glob("000_*.txt"))
    report = json.loads((out / f"{doc.stem}.report.json").read_text(encoding="utf-8"))
    residue = next(f for f in report["fixes"] if f["rule"] == "share-residue")
    decisions = tmp_path / "decisions"
    decisions.mkdir()
    (decisions / f"{doc.name}.decisions.json").write_text(json.dumps({"decisions": {residue["id"]: "reject"}}))
    proc = run_cli("fix", str(src), "-o", str(out), "--decisions", str(decisions))
    assert "1 repaired, 4 up to date" in proc.stderr, proc.stderr
    assert "\n|\n" in (out / f"{doc.stem}.md").read_text(encoding="utf-8")


def _seeds_fixed_once(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "out"
    assert run_cli("fix", str(SEEDS), "-o", str(out)).returncode == 0
    return out, snapshot(out)


def test_damaged_or_deleted_output_is_rewritten(tmp_path: Path) -> None:
    out, good = _seeds_fixed_once(tmp_path)
    first, second = sorted(out.glob("0*.md"))[:2]
    first.write_text("edited by hand\n", encoding="utf-8")
    second.unlink()
    proc = run_cli("fix", str(SEEDS), "-o", str(out))
    assert "2 repaired, 3 up to date" in proc.stderr, proc.stderr
    assert_same_files(out, good)


def test_force_redoes_everything(tmp_path: Path) -> None:
    out, good = _seeds_fixed_once(tmp_path)
    proc = run_cli("fix", str(SEEDS), "-o", str(out), "--force")
    assert "5 repaired, 0 up to date" in proc.stderr, proc.stderr
    assert_same_files(out, good)


def test_torn_manifest_line_is_ignored(tmp_path: Path) -> None:
    out, good = _seeds_fixed_once(tmp_path)
    with open(out / MANIFEST, "a", encoding="utf-8") as handle:
        handle.write('{"doc": "000_915660e8f20a7369", "inp')  # what a kill during an append leaves
    proc = run_cli("fix", str(SEEDS), "-o", str(out))
    assert proc.returncode == 0 and "5 up to date" in proc.stderr, proc.stderr
    (out / "004_2095cca7024b178c.md").unlink()
    proc = run_cli("fix", str(SEEDS), "-o", str(out))
    assert "1 repaired, 4 up to date" in proc.stderr, proc.stderr
    assert_same_files(out, good)


def _kill_when(out: Path, outputs: int, *args: str) -> None:
    """Start a run, SIGKILL it once `outputs` Markdown files exist (it must still be running then)."""
    proc = subprocess.Popen(cli_command(*args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if out.is_dir() and sum(1 for _ in out.rglob("*.md")) >= outputs:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the run finished before it could be killed: give it more files"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_killed_runs_resume_to_the_uninterrupted_result(tmp_path: Path, jobs: str) -> None:
    src = tmp_path / "in"
    copy_seeds(src, copies=12)  # 60 documents
    total = len(list(src.rglob("*.txt")))
    rules = frozen_rules(tmp_path)
    run = ("fix", str(src), "--rules", str(rules), "-j", jobs, "-o")
    reference, resumed = tmp_path / "reference", tmp_path / "resumed"
    proc = run_cli(*run, str(reference))
    assert proc.returncode == 0, proc.stderr
    _kill_when(resumed, 5, *run, str(resumed))
    _kill_when(resumed, 25, *run, str(resumed))
    assert sum(1 for _ in resumed.rglob("*.report.json")) < total
    proc = run_cli(*run, str(resumed))
    assert proc.returncode == 0, proc.stderr
    assert "up to date" in proc.stderr and f"{total} documents" in proc.stderr
    assert_same_files(resumed, snapshot(reference))
    assert not temporaries(resumed)
    again = run_cli(*run, str(resumed))
    assert f"0 repaired, {total} up to date" in again.stderr, again.stderr


def test_two_jobs_give_the_outputs_of_one(tmp_path: Path) -> None:
    src = tmp_path / "in"
    copy_seeds(src, copies=3)
    one, two = tmp_path / "one", tmp_path / "two"
    rules = frozen_rules(tmp_path)
    assert run_cli("fix", str(src), "-o", str(one), "--rules", str(rules), "-j", "1").returncode == 0
    assert run_cli("fix", str(src), "-o", str(two), "--rules", str(rules), "-j", "2").returncode == 0
    assert_same_files(two, snapshot(one))


# ---------------------------------------------------------------- failures


def test_clashing_output_names_fail_the_second_file(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    seed = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    (src / "story.txt").write_text(seed, encoding="utf-8")
    (src / "story.md").write_text(seed, encoding="utf-8")
    proc = run_cli("fix", str(src), "-o", str(out))
    assert proc.returncode == 1
    assert failure_lines(proc.stderr) == [f"repair: {src / 'story.txt'}: same output name as {src / 'story.md'}; rename one of them"]
    assert (out / "story.md").is_file()


def _rules_with(tmp_path: Path, rule_id: str, pattern: str) -> Path:
    rules = frozen_rules(tmp_path)
    (rules / f"{rule_id}.toml").write_text(
        f'id = "{rule_id}"\ndetector = "substitute"\nmessage = "test"\nwhy = "test"\nsafety = "safe"\norder = 999\n\n'
        f"[[params.replace]]\npattern = '{pattern}'\nwith = \"\"\n",
        encoding="utf-8",
    )
    return rules


def test_catastrophic_backtracking_times_out_one_file(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    copy_seeds(src)
    trap = src / "trap.txt"
    trap.write_text("正文第一段。\n\n" + "a" * 60 + "!\n", encoding="utf-8")
    rules = _rules_with(tmp_path, "backtracks", "(a|aa)+$")  # exponential in the number of a's
    proc = run_cli("fix", str(src), "-o", str(out), "--rules", str(rules), "--timeout", "15", "-j", "2")
    assert proc.returncode == 1
    assert failure_lines(proc.stderr) == [f"repair: {trap}: took longer than 15 s (see --timeout)"]
    assert "Traceback" not in proc.stderr
    assert len(list(out.glob("*.report.json"))) == 5 and not list(out.glob("trap*"))


def test_an_internal_error_is_one_line_per_file(tmp_path: Path) -> None:
    rules = _rules_with(tmp_path, "broken", "(unclosed")
    proc = run_cli("fix", str(SEEDS), "-o", str(tmp_path / "out"), "--rules", str(rules))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = failure_lines(proc.stderr)
    assert len(lines) == 5 and all(": internal error: " in line for line in lines), lines


def test_size_limit(tmp_path: Path) -> None:
    proc = run_cli("fix", str(SEEDS), "-o", str(tmp_path / "out"), "--max-size", "0.001")
    assert proc.returncode == 1
    lines = failure_lines(proc.stderr)
    assert len(lines) == 5 and all("too large" in line and "--max-size" in line for line in lines)


# ---------------------------------------------------------------- progress


def test_plain_lines_and_summary_without_a_terminal(tmp_path: Path) -> None:
    proc = run_cli("fix", str(SEEDS), "-o", str(tmp_path / "out"))
    lines = proc.stderr.splitlines()
    assert sum(1 for line in lines if "fixes applied ->" in line) == 5
    assert lines[-2].startswith("repair: 5 documents: 5 repaired, 0 up to date, 0 failed; 7 articles;")
    assert lines[-1].startswith("repair: fixes by rule: ")
    quiet = run_cli("fix", str(SEEDS), "-o", str(tmp_path / "quiet"), "-q")
    assert not any("fixes applied ->" in line for line in quiet.stderr.splitlines())


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    src = tmp_path / "in"
    copy_seeds(src, copies=4)
    (src / "empty.txt").write_bytes(b"")
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    proc = subprocess.run(cli_command("fix", str(src), "-o", str(tmp_path / "out")), stderr=slave, stdout=subprocess.PIPE,
                          timeout=600, cwd=ROOT)
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 1
    assert "Traceback" not in shown
    assert f"{src / 'empty.txt'}: empty file" in shown.replace("\r\n", "\n")
    assert "20 repaired" in shown
    assert len(list((tmp_path / "out").rglob("*.report.json"))) == 20
