"""Command line: `repair fix`, `repair check`, `repair rules list|show|test`, `repair review`.

Exit codes: 0 success (check: no fixes), 1 fixes found (check) or a file failed
(fix), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .errors import RepairError
from .batch import BatchSettings, RunSpec, run_batch
from .engines import ENGINES
from .jobs import Options, iter_inputs, process_file
from .manifest import run_key
from .model import SAFETY_WIDTH
from .report import describe, evidence_line
from .rules import load_rules, run_rule_tests


DEFAULT_TIMEOUT = 120.0  # seconds per document, or per megabyte of a larger one
DEFAULT_MAX_MB = 200.0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rules", type=Path, help="folder of rule files (default: the bundled rules/)")
    p.add_argument("--decisions", type=Path, metavar="DIR", help="folder of decision files (default: next to each input)")
    p.add_argument(
        "--only",
        choices=("safe", "all"),
        default="all",
        help="which undecided fixes to apply: only safe ones, or all (default)",
    )
    p.add_argument(
        "--target-script",
        choices=("simplified", "traditional", "keep"),
        help="script of the output (default from the rule file: simplified)",
    )


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="repair", description="Mend Chinese news text whose layout broke; publish clean Markdown.")
    ap.add_argument("--version", action="version", version=f"repair {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    fix = sub.add_parser("fix", help="apply fixes and write Markdown + a JSON report per input")
    fix.add_argument("paths", nargs="+", type=Path, help="files or folders (.txt .md .html .htm)")
    fix.add_argument("-o", "--output", type=Path, help="output folder (required unless --diff)")
    fix.add_argument("--diff", action="store_true", help="print a unified diff of input vs output")
    fix.add_argument("-j", "--jobs", type=_positive_int, metavar="N", help="worker processes (default: all cores; ray: all CPUs)")
    fix.add_argument("--engine", choices=ENGINES, default="local", help="where documents run: this machine (default) or a Ray cluster (RAY_ADDRESS)")
    fix.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
        help=f"give up on a document after this long (per MB for larger ones) and report it as failed "
        f"(default {DEFAULT_TIMEOUT:g}; 0: never)",
    )
    fix.add_argument(
        "--max-size", type=float, default=DEFAULT_MAX_MB, metavar="MB",
        help=f"report larger inputs as failed instead of reading them (default {DEFAULT_MAX_MB:g}; 0: no limit)",
    )
    fix.add_argument("--force", action="store_true", help="redo every document, even those the manifest shows up to date")
    fix.add_argument("-q", "--quiet", action="store_true", help="no line per repaired file (failures and the summary still print)")
    _common(fix)

    check = sub.add_parser("check", help="list proposed fixes (exit 1 when there are any)")
    check.add_argument("paths", nargs="+", type=Path)
    check.add_argument("--format", choices=("text", "json"), default="text")
    _common(check)

    rules = sub.add_parser("rules", help="list the rules or run their embedded tests")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    for name, text in (
        ("list", "list rules"),
        ("show", "show rules in full: why, parameters, and what each cue of their evidence means"),
        ("test", "run every rule's embedded examples"),
    ):
        r = rules_sub.add_parser(name, help=text)
        r.add_argument("ids", nargs="*", help="only these rules")
        r.add_argument("--rules", type=Path, help="folder of rule files")

    review = sub.add_parser("review", help="accept or reject fixes in a terminal UI")
    review.add_argument("paths", nargs="+", type=Path)
    review.add_argument("-o", "--output", type=Path, default=Path("out"), help="where `w` writes Markdown (default: out)")
    _common(review)
    return ap


def _load(args: argparse.Namespace):
    overrides = {}
    if getattr(args, "target_script", None):
        overrides["traditional-to-simplified"] = {"target": args.target_script}
    return load_rules(args.rules, overrides)


def _inputs(paths: list[Path]) -> list[tuple[Path, Path]]:
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise RepairError(f"no such file or folder: {missing[0]}")
    return iter_inputs(paths)


def cmd_fix(args: argparse.Namespace) -> int:
    if args.output is None and not args.diff:
        raise RepairError("fix needs -o/--output DIR (or --diff to only show changes)")
    rules = _load(args)
    options = Options(only_safe=args.only == "safe", decisions_dir=args.decisions, write=args.output is not None, diff=args.diff)
    if args.diff:
        return _fix_with_diff(args, rules, options)
    _inputs(args.paths)  # a missing path is a usage error
    settings = {"only_safe": options.only_safe, "target_script": args.target_script, "program": __version__}
    spec = RunSpec(
        out_dir=str(args.output),
        rules=rules,
        options=options,
        key=run_key(rules.version, settings),
        timeout=args.timeout or None,
        max_bytes=int(args.max_size * 1e6) or None,
    )
    batch = BatchSettings(engine=args.engine, jobs=args.jobs, force=args.force, quiet=args.quiet)
    return run_batch(args.paths, spec, batch)


def _fix_with_diff(args: argparse.Namespace, rules, options: Options) -> int:
    """--diff: one document after the other, in order, so the diffs read as one patch."""
    failed = 0
    for source, relative in _inputs(args.paths):
        outcome = process_file(source, relative, args.output, rules, options)
        if outcome.error:
            failed += 1
            print(f"repair: {source}: {outcome.error}", file=sys.stderr)
            continue
        sys.stdout.write(outcome.diff)
        if args.output is not None:
            names = ", ".join(p.name for p in outcome.outputs)
            print(f"{source}: {outcome.applied}/{outcome.fixes} fixes applied -> {names}", file=sys.stderr)
    return 1 if failed else 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def cmd_check(args: argparse.Namespace) -> int:
    rules = _load(args)
    options = Options(only_safe=args.only == "safe", decisions_dir=args.decisions, write=False)
    total, failed, documents = 0, 0, []
    for source, relative in _inputs(args.paths):
        outcome = process_file(source, relative, None, rules, options)
        if outcome.error:
            failed += 1
            print(f"repair: {source}: {outcome.error}", file=sys.stderr)
            continue
        result = outcome.result
        total += len(result.fixes)
        if args.format == "json":
            documents.append({"input": str(source), "fixes": [f.to_json() for f in result.fixes]})
        else:
            print(f"{source}: {len(result.fixes)} fixes")
            for fix in result.fixes:
                print("  " + describe(fix))
                if evidence := evidence_line(fix):
                    print("           evidence: " + evidence)
    if args.format == "json":
        json.dump({"rules_version": rules.version, "documents": documents}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    if failed:
        return 2
    return 1 if total else 0


def cmd_rules(args: argparse.Namespace) -> int:
    rules = load_rules(args.rules)
    selected = [r for r in rules if not args.ids or r.id in args.ids]
    if args.ids and len(selected) != len(set(args.ids)):
        known = {r.id for r in rules}
        raise RepairError(f"unknown rule: {', '.join(i for i in args.ids if i not in known)}")
    if args.rules_command == "list":
        for rule in selected:
            print(f"{rule.id:<28} {rule.detector:<18} {rule.safety:<{SAFETY_WIDTH}} {rule.message}")
        return 0
    if args.rules_command == "show":
        print("\n\n".join(show_rule(rule) for rule in selected))
        return 0
    failures = 0
    for rule in selected:
        for outcome in run_rule_tests(rule):
            if not outcome.ok:
                failures += 1
                print(f"FAIL {rule.id} example {outcome.index}: {outcome.detail}")
    count = sum(len(r.tests) for r in selected)
    print(f"{count - failures} passed, {failures} failed")
    return 1 if failures else 0


def show_rule(rule) -> str:
    """A rule in full. Cue weights are listed with the rule's own notes on what each cue means."""
    lines = [
        f"{rule.id}  (detector {rule.detector}, order {rule.order}, {rule.safety}, confidence {rule.confidence})",
        f"  {rule.message}",
        f"  why: {rule.why}",
        "  params:",
    ]
    notes = rule.param("cue_notes", {})
    for name, value in rule.params.items():
        if name == "cue_notes":
            continue
        if name == "weights" and isinstance(value, dict):
            lines.append("    weights (cue, weight, what it means):")
            # markers (orphan, delayed_tail) name how a join was chosen and weigh nothing
            value = {**value, **{cue: 0.0 for cue in notes if cue not in value}}
            width = max(map(len, value), default=0)
            lines += [f"      {cue:<{width}} {weight:+5.2f}  {notes.get(cue, '')}".rstrip() for cue, weight in value.items()]
        else:
            source = f"  (same as {rule.shared_from[name]})" if name in rule.shared_from else ""
            lines.append(f"    {name} = {json.dumps(value, ensure_ascii=False)}{source}")
    lines.append(f"  examples: {len(rule.tests)}")
    return "\n".join(lines)


def cmd_review(args: argparse.Namespace) -> int:
    try:
        from tui.app import run_review
    except ImportError as exc:
        raise RepairError(f"the review UI is not available: {exc}") from None
    rules = _load(args)
    inputs = _inputs(args.paths)
    return run_review(inputs, rules, decisions_dir=args.decisions, output=args.output, only_safe=args.only == "safe")


COMMANDS = {"fix": cmd_fix, "check": cmd_check, "rules": cmd_rules, "review": cmd_review}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except RepairError as exc:
        print(f"repair: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("repair: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
