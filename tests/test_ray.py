"""`repair fix --engine ray` on a local Ray: the outputs and resume guarantees of the local engine.
Skipped when Ray is not installed (`pip install -e '.[ray]'`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_cli
from test_batch import assert_same_files, copy_seeds, frozen_rules, snapshot, stats

pytest.importorskip("ray")


@pytest.fixture(autouse=True)
def local_ray(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAY_ADDRESS", raising=False)  # a local Ray, never someone's cluster


def test_ray_engine_matches_local_engine_and_resumes(tmp_path: Path) -> None:
    src = tmp_path / "in"
    copy_seeds(src, copies=3)
    (src / "empty.txt").write_bytes(b"")
    rules = frozen_rules(tmp_path)
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    proc = run_cli("fix", str(src), "-o", str(local), "--rules", str(rules), "-j", "2")
    assert proc.returncode == 1, proc.stderr
    proc = run_cli("fix", str(src), "-o", str(on_ray), "--rules", str(rules), "--engine", "ray", "-j", "2")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"repair: {src / 'empty.txt'}: empty file" in proc.stderr
    assert "15 repaired, 0 up to date, 1 failed" in proc.stderr
    assert_same_files(on_ray, snapshot(local))

    # resume: a deleted output is redone, the rest is left alone; then nothing at all is redone
    victim = next(on_ray.rglob("*.md"))
    victim.unlink()
    redone = victim.relative_to(on_ray).with_suffix("").as_posix()
    times = {k: v for k, v in stats(on_ray).items() if not k.startswith((".", redone))}
    proc = run_cli("fix", str(src), "-o", str(on_ray), "--rules", str(rules), "--engine", "ray", "-j", "2")
    assert "1 repaired, 14 up to date, 1 failed" in proc.stderr, proc.stderr
    assert_same_files(on_ray, snapshot(local))
    assert {k: v for k, v in stats(on_ray).items() if k in times} == times
    times = stats(on_ray)
    proc = run_cli("fix", str(src), "-o", str(on_ray), "--rules", str(rules), "--engine", "ray")
    assert "0 repaired, 15 up to date, 1 failed" in proc.stderr, proc.stderr
    assert stats(on_ray) == times


def test_ray_engine_relative_paths(tmp_path: Path) -> None:
    """Ray workers start elsewhere; relative inputs and output must still resolve as on the driver."""
    src = tmp_path / "in"
    copy_seeds(src)
    proc = run_cli("fix", "in", "-o", "out", "--engine", "ray", "-j", "1", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "out").glob("*.report.json"))) == 5
    assert os.path.isfile(tmp_path / "out" / ".repair-manifest.jsonl")
