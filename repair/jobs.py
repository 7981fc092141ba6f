"""One input file -> Markdown files + report. The unit of work for `repair fix`,
the batch runner and any cluster engine: a pure function of (file, options)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from .decisions import decisions_path, load_decisions, write_atomic
from .errors import RepairError
from .model import DocumentResult
from .pipeline import analyze_text, build
from .reading import read_source
from .report import build_report, report_json
from .rules import RuleSet

INPUT_SUFFIXES = (".txt", ".md", ".html", ".htm")
REPORT_SUFFIX = ".report.json"


@dataclass(frozen=True)
class Options:
    only_safe: bool = False
    decisions_dir: Path | None = None
    write: bool = True
    diff: bool = False


@dataclass
class Outcome:
    source: Path
    outputs: list[Path] = field(default_factory=list)
    report: Path | None = None
    fixes: int = 0
    applied: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)
    diff: str = ""
    error: str | None = None
    result: DocumentResult | None = None
    pending: list[tuple[Path, str]] = field(default_factory=list)  # (path, text) not yet written


def iter_inputs(paths: list[Path]) -> list[tuple[Path, Path]]:
    """(file, path relative to the output folder without suffix), folders walked in order."""
    found: list[tuple[Path, Path]] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES):
                if file.name.endswith(REPORT_SUFFIX) or ".decisions." in file.name:
                    continue
                found.append((file, file.relative_to(path).with_suffix("")))
        else:
            found.append((path, Path(path.stem)))
    return found


def repair_file(source: Path, rules: RuleSet, options: Options) -> tuple[str, DocumentResult]:
    read = read_source(source)
    decisions = load_decisions(decisions_path(source, options.decisions_dir))
    analysis = analyze_text(read.text, source.name, rules, decisions, read.format)
    return read.text, build(analysis, rules, decisions, options.only_safe)


def process_file(source: Path, relative: Path, out_dir: Path | None, rules: RuleSet, options: Options) -> Outcome:
    outcome = prepare_file(source, relative, out_dir, rules, options)
    write_pending(outcome)
    return outcome


def prepare_file(source: Path, relative: Path, out_dir: Path | None, rules: RuleSet, options: Options) -> Outcome:
    """Everything `process_file` does but the writing: the files to write are in `outcome.pending`."""
    outcome = Outcome(source=source)
    try:
        text, result = repair_file(source, rules, options)
    except RepairError as exc:
        outcome.error = str(exc)
        return outcome
    except RecursionError:
        outcome.error = "internal error: input nested too deeply"
        return outcome
    except Exception as exc:  # one document's bug must not cost the others their output
        outcome.error = f"internal error: {type(exc).__name__}: {exc}"
        return outcome
    outcome.result = result
    outcome.fixes = len(result.fixes)
    outcome.applied = len(result.applied)
    for fix in result.applied:
        outcome.by_rule[fix.rule] = outcome.by_rule.get(fix.rule, 0) + 1
    folder = (out_dir / relative.parent) if out_dir else None
    outputs = [folder / f"{a.name}.md" if folder else Path(f"{a.name}.md") for a in result.articles]
    if options.diff:
        outcome.diff = "".join(
            difflib.unified_diff(
                text.splitlines(keepends=True),
                "".join(a.markdown for a in result.articles).splitlines(keepends=True),
                fromfile=str(source),
                tofile=" + ".join(str(p) for p in outputs),
            )
        )
    if options.write and folder is not None:
        report = build_report(result, str(source), rules.version, [p.name for p in outputs], text)
        outcome.report = folder / f"{relative.name}{REPORT_SUFFIX}"
        outcome.pending = [(path, article.markdown) for article, path in zip(result.articles, outputs)]
        outcome.pending.append((outcome.report, report_json(report)))
        outcome.outputs = outputs
    return outcome


def write_pending(outcome: Outcome) -> None:
    """Write the files `prepare_file` produced, each atomically, the report last."""
    for path, text in outcome.pending:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    outcome.pending = []
