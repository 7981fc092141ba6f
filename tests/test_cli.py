"""The real CLI on real files: exit codes, JSON, --diff, reports."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SEEDS, run_cli, seed


def test_fix_writes_markdown_and_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("fix", str(SEEDS), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    stems = sorted(p.stem for p in SEEDS.glob("*.txt"))
    for stem in stems:
        report = json.loads((out / f"{stem}.report.json").read_text(encoding="utf-8"))
        assert report["unaccounted"] == ""
        for article in report["articles"]:
            assert (out / article["output"]).is_file()
    report = json.loads((out / f"{seed('000').stem}.report.json").read_text(encoding="utf-8"))
    dropped = [f for f in report["fixes"] if f["kind"] == "drop"]
    assert dropped and all(f["removed"] == f["before"] for f in dropped)
    assert any(f["removed"] == "|" for f in dropped)
    first = report["fixes"][0]
    assert {"id", "rule", "kind", "lines", "before", "after", "safety", "confidence", "message", "why"} <= first.keys()


def test_check_exit_codes(tmp_path: Path) -> None:
    assert run_cli("check", str(seed("000"))).returncode == 1
    clean = tmp_path / "clean.txt"
    clean.write_text("这是一段完整的文字，没有需要修复的地方。\n", encoding="utf-8")
    proc = run_cli("check", str(clean))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run_cli("check", str(tmp_path / "missing.txt"))
    assert proc.returncode == 2
    assert "no such file" in proc.stderr and "Traceback" not in proc.stderr


def test_check_json_is_valid(tmp_path: Path) -> None:
    proc = run_cli("check", "--format", "json", str(seed("003")))
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    fixes = data["documents"][0]["fixes"]
    assert {f["rule"] for f in fixes} >= {"converter-pinyin", "traditional-to-simplified", "site-furniture"}
    assert all(len(f["id"]) == 12 for f in fixes)


def test_fix_ids_are_stable_across_runs() -> None:
    runs = [json.loads(run_cli("check", "--format", "json", str(seed("002"))).stdout) for _ in range(2)]
    ids = [[f["id"] for f in r["documents"][0]["fixes"]] for r in runs]
    assert ids[0] == ids[1] and len(set(ids[0])) == len(ids[0])


def test_diff_shows_changes_without_writing(tmp_path: Path) -> None:
    proc = run_cli("fix", "--diff", str(seed("000")), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("---") and "\n-|\n" in proc.stdout
    assert "+# 打造党群工作“金名片” 赋能高质量发展" in proc.stdout
    assert not list(tmp_path.iterdir())


def test_only_safe_leaves_review_fixes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("fix", "--only", "safe", str(seed("000")), "-o", str(out)).returncode == 0
    report = json.loads(next(out.glob("*.report.json")).read_text(encoding="utf-8"))
    review = [f for f in report["fixes"] if f["safety"] == "review"]
    assert review and not any(f["applied"] for f in review)
    assert all(f["applied"] for f in report["fixes"] if f["safety"] == "safe")
    markdown = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "## " not in markdown  # section headings are review fixes


def test_decisions_are_honoured(tmp_path: Path) -> None:
    source = tmp_path / "doc.txt"
    source.write_text(seed("000").read_text(encoding="utf-8"), encoding="utf-8")
    data = json.loads(run_cli("check", "--format", "json", str(source)).stdout)
    residue = next(f for f in data["documents"][0]["fixes"] if f["rule"] == "share-residue")
    (tmp_path / "doc.txt.decisions.json").write_text(json.dumps({"decisions": {residue["id"]: "reject"}}))
    out = tmp_path / "out"
    assert run_cli("fix", str(source), "-o", str(out)).returncode == 0
    assert "\n|\n" in (out / "doc.md").read_text(encoding="utf-8")


def test_rules_commands() -> None:
    proc = run_cli("rules", "test")
    assert proc.returncode == 0, proc.stdout
    assert " 0 failed" in proc.stdout
    listing = run_cli("rules", "list").stdout
    assert "half-width-punctuation" in listing and "safe" in listing
    assert run_cli("rules", "test", "no-such-rule").returncode == 2


def test_rules_show_explains_the_cues_of_the_evidence() -> None:
    """Every cue a join's evidence can name has a note in `repair rules show`."""
    proc = run_cli("rules", "show", "split-paragraph")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("split-paragraph  (detector join")
    shown = {line.split()[0]: line for line in proc.stdout.splitlines() if line.startswith("      ")}
    evidence = run_cli("check", str(seed("002")), "--format", "json")
    cues = {cue for doc in json.loads(evidence.stdout)["documents"] for fix in doc["fixes"]
            if fix["rule"] == "split-paragraph" for cue in fix["evidence"]["cues"]}
    assert cues and cues <= set(shown)
    assert all(len(shown[cue].split(None, 2)) == 3 for cue in cues)  # cue, weight, note
    assert {"orphan", "delayed_tail"} <= set(shown)  # the markers that weigh nothing are explained too
    assert run_cli("rules", "show", "no-such-rule").returncode == 2


def test_fix_requires_output() -> None:
    proc = run_cli("fix", str(seed("000")))
    assert proc.returncode == 2 and "-o" in proc.stderr


def test_check_lists_structural_evidence() -> None:
    proc = run_cli("check", str(seed("002")))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    join = next(i for i, line in enumerate(lines) if "split-paragraph" in line and " join " in line)
    assert lines[join + 1].strip().startswith("evidence: seam:")
    assert "cues:" in lines[join + 1] and "score:" in lines[join + 1]
    move = next(i for i, line in enumerate(lines) if "foreign-block" in line and " move " in line)
    assert "similarity_own" in lines[move + 1]
