"""Measure how much layout damage the tool undoes, on clean articles damaged with known truth.

    python -m repair.evaluate [--corpus DIR] [-n 40] [--seed 7] [--split dev|holdout|both]
                              [--json] [--verbose] [--baseline identity|oracle]

Documents come from `repair.damage.make_set` (dev = odd-numbered clean files,
holdout = even ones; simplified-script articles only). Each is repaired with
`repair.pipeline.repair_text` (or a reference baseline) and compared with its
truth after `normalize` on both sides.

Metrics (pooled over documents):
  paragraphs_recovered  share of truth body paragraphs that are exactly one body item of
                        the output article matched to their truth article
  order_tau             Kendall τ between truth order and output order of the recovered
                        paragraphs (pooled per article, i.e. weighted by pairs; in [-1, 1])
  foreign_share         share of output body items that carry text from outside their
                        article's own body: another article's text, a caption or credit,
                        page furniture (text found in none of the matched truth article's
                        paragraphs or header lines: a run of GRAM+ characters, or a shorter
                        run at an item's edge that is not printed there verbatim), or a second
                        copy of text printed in another item of the body. In an output that matches no
                        truth article, items holding any truth article's text are foreign;
                        stray material set apart there is not a body item.
  foreign by origin     where the foreign items' outside text comes from: a second copy of the
                        article's own text, another article on the page, a caption or credit
                        of the page, or text from off the page (a bled item, web residue); or
                        an article's text set apart in an output that matches no article
  misshapen_share       share of output body items that are not exactly one truth paragraph
                        or header line (foreign items, and also the halves of a paragraph
                        left unjoined or two paragraphs wrongly joined)
  captions_kept         share of truth captions/credits found in some article's figures
  captions_placed       share of truth captions/credits found in their own article's figures
  lost_share/lost_chars truth text (header, paragraphs, captions) missing from all output
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter, defaultdict, deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import regex as re

from repair.damage import DamagedDoc, TruthArticle, is_heading_like, make_set, make_wrapped_set

RepairFn = Callable[[str, str], Any]  # (text, name) -> DocumentResult-like

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / ".." / "shared" / "corpus" / "clean"
GRAM = 8  # k-gram length for article matching and lost-text coverage

# ---------------------------------------------------------------------------
# Normalization
# ---------------------------------------------------------------------------

# After NFKC (which already maps ，：；！？（）．～ etc. to ASCII), fold the
# punctuation that still has several spellings. No script conversion.
_FOLD = str.maketrans({
    "“": '"', "”": '"', "„": '"', "‟": '"', "〝": '"', "〞": '"', "＂": '"',
    # a quotation inside a quotation takes single marks (“…‘…’…”) where a page printed double ones
    "‘": '"', "’": '"', "‚": '"', "‛": '"', "'": '"',
    "–": "-", "‒": "-", "―": "-", "−": "-",
    "。": ".", "｡": ".", "、": ",", "､": ",",
    "〈": "<", "〉": ">",
    "・": "·", "･": "·", "•": "·",
})
_SPACE = re.compile(r"[\s\u00a0\u3000\u200b-\u200d\u2060\ufeff]+")


def normalize(text: str) -> str:
    """NFKC, fold full/half-width punctuation and quote variants, drop all whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(_FOLD))


def _strip_marks(s: str) -> str:
    return s.lstrip("#▶►>*-· ")


# ---------------------------------------------------------------------------
# Reading a result (duck-typed: the pipeline's DocumentResult or the stand-ins below)
# ---------------------------------------------------------------------------


def _text(x: Any) -> str:
    return x if isinstance(x, str) else str(getattr(x, "text", x))


def _strings(x: Any) -> Iterable[str]:
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for v in x.values():
            yield from _strings(v)
    elif isinstance(x, (list, tuple)):
        for v in x:
            yield from _strings(v)


@dataclass
class OutArticle:
    title: str
    items: list[str]  # normalized body item texts, in order
    raw_items: list[str]
    figures: list[str]  # normalized
    extra: list[str]  # normalized meta strings and markdown (for lost text only)


def read_result(result: Any) -> list[OutArticle]:
    out = []
    for art in getattr(result, "articles", None) or []:
        raw = [_text(b) for b in getattr(art, "body", None) or []]
        keep = [(r, normalize(r)) for r in raw if normalize(r)]
        extra = [normalize(s) for s in _strings(getattr(art, "meta", None) or {})]
        extra.append(normalize(getattr(art, "markdown", "") or ""))
        out.append(OutArticle(
            title=normalize(getattr(art, "title", None) or ""),
            items=[n for _, n in keep],
            raw_items=[r for r, _ in keep],
            figures=[normalize(_text(f)) for f in getattr(art, "figures", None) or []],
            extra=extra,
        ))
    return out


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


def grams(text: str, k: int = GRAM) -> set[str]:
    if len(text) <= k:
        return {text} if text else set()
    return {text[i:i + k] for i in range(len(text) - k + 1)}


def kendall_counts(positions: list[int]) -> tuple[int, int]:
    """(concordant, discordant) pairs of output positions listed in truth order."""
    c = d = 0
    for i in range(len(positions)):
        for j in range(i + 1, len(positions)):
            if positions[i] < positions[j]:
                c += 1
            elif positions[i] > positions[j]:
                d += 1
    return c, d


def match_articles(truth: list[TruthArticle], out: list[OutArticle]) -> dict[int, int]:
    """truth index -> output index, greedily by shared k-grams of body text, one to one."""
    tg = [set().union(*(grams(normalize(p)) for p in t.paragraphs + t.header)) if t.paragraphs or t.header
          else set() for t in truth]
    og = [set().union(*(grams(s) for s in o.items + [o.title])) for o in out]
    pairs = sorted(((len(tg[i] & og[j]), i, j) for i in range(len(truth)) for j in range(len(out))), reverse=True)
    match: dict[int, int] = {}
    used: set[int] = set()
    for score, i, j in pairs:
        if score and i not in match and j not in used:
            match[i] = j
            used.add(j)
    return match


def missing_runs(unit: str, out_grams: set[str], out_joined: str) -> list[str]:
    """Runs of `unit` absent from the output. A character is present when it lies in a
    k-gram the output shares, or in a short leftover run (the edge of a piece printed
    on its own) found verbatim in the output."""
    if not unit:
        return []
    if len(unit) <= GRAM:
        return [] if unit in out_joined else [unit]
    cov = [False] * len(unit)
    for s in range(len(unit) - GRAM + 1):
        if unit[s:s + GRAM] in out_grams:
            cov[s:s + GRAM] = [True] * GRAM
    runs = []
    for m in re.finditer(r"0+", "".join("1" if c else "0" for c in cov)):
        run = unit[m.start():m.end()]
        if not (len(run) < GRAM and run in out_joined):
            runs.append(run)
    return runs


@dataclass
class DocScore:
    name: str
    articles_expected: int = 0
    articles_found: int = 0
    articles_matched: int = 0
    paragraphs: int = 0
    recovered: int = 0
    concordant: int = 0
    discordant: int = 0
    body_items: int = 0
    foreign: int = 0
    misshapen: int = 0
    captions: int = 0
    captions_kept: int = 0
    captions_placed: int = 0
    truth_chars: int = 0
    lost_chars: int = 0
    missed: list[str] = field(default_factory=list)
    foreign_items: list[str] = field(default_factory=list)
    foreign_origins: list[str] = field(default_factory=list)  # one of ORIGINS per foreign item
    missed_captions: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # normalized runs of truth text missing from the output
    error: str | None = None


# where a foreign item's outside text comes from, and how the table names it
_ORIGIN_LABELS = {"copy": "a second copy", "page article": "another article's text", "caption": "a caption or credit",
                  "off the page": "text from off the page", "set apart": "own text set apart"}
ORIGINS = tuple(_ORIGIN_LABELS)


def origin_key(origin: str) -> str:
    """The metrics key of an origin's count: foreign_page_article, ..."""
    return "foreign_" + origin.replace(" ", "_")


class _Page:
    """The k-grams of a page's truth, to say where a foreign item's outside text comes from."""

    def __init__(self, truth: list[TruthArticle]) -> None:
        self.articles = [set().union(*(grams(normalize(u)) for u in t.header + t.paragraphs)) for t in truth]
        self.captions = set().union(*(grams(normalize(c)) for t in truth for c in t.captions))

    def origin(self, outside: list[str], own: int | None) -> str:
        found = set().union(*(grams(r) for r in outside)) if outside else set()
        if any(found & g for k, g in enumerate(self.articles) if k != own):
            return "page article"
        if found & self.captions:
            return "caption"
        return "off the page"


def _allowed_lines(t: TruthArticle) -> list[str]:
    lines = list(t.header) + ([t.title] if t.title else []) + ([t.byline] if t.byline else [])
    return [_strip_marks(normalize(s)) for s in lines]


def score_article(t: TruthArticle, o: OutArticle | None, sc: DocScore, page: _Page, index: int) -> None:
    tp = [normalize(p) for p in t.paragraphs]
    sc.paragraphs += len(tp)
    if o is None:
        sc.missed += t.paragraphs
        return
    want: dict[str, deque[int]] = defaultdict(deque)
    for i, p in enumerate(tp):
        want[p].append(i)
    allowed = _allowed_lines(t)
    own = tp + allowed
    own_grams = set().union(*(grams(s) for s in own))
    own_joined = "\x00".join(own)
    seen: set[str] = set()
    pos: dict[int, int] = {}
    for j, (item, raw) in enumerate(zip(o.items, o.raw_items)):
        if want.get(item):
            pos[want[item].popleft()] = j
        elif _strip_marks(item) in allowed:
            allowed.remove(_strip_marks(item))
        else:
            sc.misshapen += 1
            copy = item in seen or (
                len(item) >= 2 * GRAM and any(item in other for k, other in enumerate(o.items) if k != j)
            )
            outside = missing_runs(item, own_grams, own_joined)
            if copy or outside:
                sc.foreign += 1
                sc.foreign_items.append(raw)
                sc.foreign_origins.append(page.origin(outside, index) if outside else "copy")
        seen.add(item)
    sc.recovered += len(pos)
    sc.missed += [t.paragraphs[i] for i in range(len(tp)) if i not in pos]
    c, d = kendall_counts([pos[i] for i in sorted(pos)])
    sc.concordant += c
    sc.discordant += d


def score_document(doc: DamagedDoc, result: Any) -> DocScore:
    out = read_result(result)
    sc = DocScore(doc.name, articles_expected=len(doc.truth), articles_found=len(out))
    sc.body_items = sum(len(o.items) for o in out)
    match = match_articles(doc.truth, out)
    sc.articles_matched = len(match)
    page = _Page(doc.truth)
    for i, t in enumerate(doc.truth):
        score_article(t, out[match[i]] if i in match else None, sc, page, i)
    page_grams = set().union(*page.articles, page.captions)
    for j, o in enumerate(out):
        if j in match.values():
            continue
        for item, raw in zip(o.items, o.raw_items):
            if not grams(item) & page_grams:
                # stray material (a bled item from off the page) set apart as its own output: what
                # the tool should do, so it is not a body item at all
                sc.body_items -= 1
                continue
            sc.foreign += 1
            sc.misshapen += 1
            sc.foreign_items.append(raw)
            origin = page.origin([item], None)
            sc.foreign_origins.append("set apart" if origin == "page article" else origin)
    figures = "\x00".join(f for o in out for f in o.figures)
    for i, t in enumerate(doc.truth):
        own = "\x00".join(out[match[i]].figures) if i in match else ""
        for cap in t.captions:
            sc.captions += 1
            if normalize(cap) in figures:
                sc.captions_kept += 1
            else:
                sc.missed_captions.append(cap)
            sc.captions_placed += normalize(cap) in own
    pieces = [s for o in out for s in [o.title, *o.items, *o.figures, *o.extra] if s]
    out_grams = set().union(*(grams(s) for s in pieces)) if pieces else set()
    joined = "\x00".join(pieces)
    for t in doc.truth:
        for unit in t.header + t.paragraphs + t.captions:
            u = normalize(unit)
            sc.truth_chars += len(u)
            runs = missing_runs(u, out_grams, joined)
            sc.lost_chars += sum(map(len, runs))
            sc.lost += runs
    return sc


def _ratio(a: int, b: int, empty: float) -> float:
    return a / b if b else empty


def summarize(scores: list[DocScore]) -> dict[str, Any]:
    s = lambda k: sum(getattr(x, k) for x in scores)  # noqa: E731
    c, d = s("concordant"), s("discordant")
    return {
        "documents": len(scores),
        "errors": sum(1 for x in scores if x.error),
        "articles_expected": s("articles_expected"),
        "articles_found": s("articles_found"),
        "articles_matched": s("articles_matched"),
        "paragraphs": s("paragraphs"),
        "paragraphs_recovered": _ratio(s("recovered"), s("paragraphs"), 1.0),
        "order_tau": _ratio(c - d, c + d, 1.0),
        "body_items": s("body_items"),
        "foreign_share": _ratio(s("foreign"), s("body_items"), 0.0),
        **{origin_key(o): n for o, n in _origin_counts(scores).items()},
        "misshapen_share": _ratio(s("misshapen"), s("body_items"), 0.0),
        "captions": s("captions"),
        "captions_kept": _ratio(s("captions_kept"), s("captions"), 1.0),
        "captions_placed": _ratio(s("captions_placed"), s("captions"), 1.0),
        "lost_chars": s("lost_chars"),
        "lost_share": _ratio(s("lost_chars"), s("truth_chars"), 0.0),
    }


def _origin_counts(scores: list[DocScore]) -> dict[str, int]:
    counts = Counter(o for x in scores for o in x.foreign_origins)
    return {o: counts[o] for o in ORIGINS}


def evaluate(docs: list[DamagedDoc], repair_fn: RepairFn) -> dict[str, Any]:
    """Repair every document with `repair_fn(text, name)` and score it against its truth.
    An exception counts as an empty result (and is reported)."""
    scores = []
    for doc in docs:
        try:
            result = repair_fn(doc.text, doc.name)
            error = None
        except Exception as e:  # noqa: BLE001 - a crash is a measured failure
            result, error = None, f"{type(e).__name__}: {e}"
        sc = score_document(doc, result)
        sc.error = error
        scores.append(sc)
    return {"metrics": summarize(scores), "documents": scores}


# ---------------------------------------------------------------------------
# Reference repairers (stand-ins with the pipeline's result shape)
# ---------------------------------------------------------------------------


@dataclass
class SimpleItem:
    kind: str
    text: str


@dataclass
class SimpleArticle:
    title: str | None
    body: list[SimpleItem]
    figures: list[SimpleItem]
    meta: dict[str, Any] = field(default_factory=dict)
    markdown: str = ""


@dataclass
class SimpleResult:
    articles: list[SimpleArticle]


def identity_repair(text: str, name: str = "doc") -> SimpleResult:
    """Do nothing: every block of the input is a body paragraph of one article."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    return SimpleResult([SimpleArticle(None, [SimpleItem("paragraph", b) for b in blocks], [])])


def truth_result(truth: list[TruthArticle]) -> SimpleResult:
    arts = []
    for t in truth:
        body = [SimpleItem("heading" if is_heading_like(p) else "paragraph", p) for p in t.paragraphs]
        meta: dict[str, Any] = {"header": t.header[1:]}
        if t.byline:
            meta["byline"] = t.byline
        arts.append(SimpleArticle(t.title, body, [SimpleItem("caption", c) for c in t.captions], meta))
    return SimpleResult(arts)


def oracle_repair(docs: list[DamagedDoc]) -> RepairFn:
    """A perfect repairer for `docs` (looks the truth up by the damaged text)."""
    by_text = {d.text: d.truth for d in docs}
    return lambda text, name="doc": truth_result(by_text[text])


def pipeline_repair() -> RepairFn:
    from repair.pipeline import repair_text

    return lambda text, name="doc": repair_text(text, name=name)


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------

_ROWS = [
    ("documents", "documents", "{}"),
    ("errors", "repair errors", "{}"),
    ("articles_expected", "articles expected", "{}"),
    ("articles_found", "articles found", "{}"),
    ("articles_matched", "articles matched", "{}"),
    ("paragraphs_recovered", "paragraphs recovered", "{:.3f}"),
    ("order_tau", "order agreement (τ)", "{:+.3f}"),
    ("foreign_share", "foreign blocks in bodies", "{:.3f}"),
    *((origin_key(o), f"  {_ORIGIN_LABELS[o]}", "{}") for o in ORIGINS),
    ("misshapen_share", "body items not one paragraph", "{:.3f}"),
    ("captions_kept", "captions kept", "{:.3f}"),
    ("captions_placed", "  with their article", "{:.3f}"),
    ("lost_chars", "lost text (chars)", "{}"),
    ("lost_share", "lost text (share)", "{:.4f}"),
]


def _cut(s: str, n: int = 40) -> str:
    s = s.replace("\n", "⏎")
    return s if len(s) <= n else s[:n] + "…"


def format_table(reports: dict[str, dict[str, Any]]) -> str:
    names = list(reports)
    width = max(len(label) for _, label, _ in _ROWS) + 2
    lines = [" " * width + "".join(f"{n:>12}" for n in names)]
    for key, label, fmt in _ROWS:
        vals = "".join(f"{fmt.format(reports[n]['metrics'][key]):>12}" for n in names)
        lines.append(f"{label:<{width}}{vals}")
    return "\n".join(lines)


def format_verbose(docs: list[DamagedDoc], scores: list[DocScore]) -> str:
    lines = []
    for doc, sc in zip(docs, scores):
        ops = ", ".join(sorted({o.op for o in doc.ops}))
        lines.append(f"== {sc.name}  ({ops})  articles {sc.articles_found}/{sc.articles_expected}, "
                     f"recovered {sc.recovered}/{sc.paragraphs}, foreign {sc.foreign}/{sc.body_items}, "
                     f"lost {sc.lost_chars}")
        if sc.error:
            lines.append(f"   ERROR {sc.error}")
        lines += [f"   missed   {_cut(p)}" for p in sc.missed]
        lines += [f"   foreign  {_cut(p)}  [{o}]" for p, o in zip(sc.foreign_items, sc.foreign_origins)]
        lines += [f"   caption  {_cut(p)}" for p in sc.missed_captions]
        lines += [f"   lost     {_cut(p)}" for p in sc.lost]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m repair.evaluate", description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="directory of clean articles")
    ap.add_argument("-n", type=int, default=40, help="documents per split (default 40)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--split", choices=["dev", "holdout", "both"], default="both")
    ap.add_argument("--json", action="store_true", help="print metrics (and per-document scores) as JSON")
    ap.add_argument("--verbose", action="store_true", help="list missed paragraphs and foreign items per document")
    ap.add_argument("--wrap", action="store_true",
                    help="hard-wrap every damaged document at one width, as OCR and PDF text exports print it")
    ap.add_argument("--baseline", choices=["identity", "oracle"],
                    help="score a reference repairer instead of repair.pipeline")
    args = ap.parse_args(argv)

    corpus = args.corpus.resolve()
    if not corpus.is_dir() or not any(corpus.glob("*.txt")):
        print(f"error: clean corpus not found at {corpus} (pass --corpus DIR)", file=sys.stderr)
        return 2
    repair_fn: RepairFn | None = None
    if args.baseline is None:
        try:
            repair_fn = pipeline_repair()
        except ImportError as e:
            print(f"error: cannot import repair.pipeline.repair_text ({e}); "
                  f"use --baseline identity|oracle to check the harness", file=sys.stderr)
            return 2

    splits = ["dev", "holdout"] if args.split == "both" else [args.split]
    reports: dict[str, dict[str, Any]] = {}
    sets: dict[str, list[DamagedDoc]] = {}
    for split in splits:
        docs = (make_wrapped_set if args.wrap else make_set)(corpus, args.n, args.seed, split)
        fn = repair_fn
        if args.baseline == "identity":
            fn = identity_repair
        elif args.baseline == "oracle":
            fn = oracle_repair(docs)
        sets[split] = docs
        reports[split] = evaluate(docs, fn)

    if args.json:
        payload = {split: {"metrics": r["metrics"]} for split, r in reports.items()}
        if args.verbose:
            for split, r in reports.items():
                payload[split]["documents"] = [asdict(s) for s in r["documents"]]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    if args.verbose:
        for split in splits:
            print(f"### {split}")
            print(format_verbose(sets[split], reports[split]["documents"]))
            print()
    what = args.baseline or "repair.pipeline"
    wrapped = ", hard-wrapped" if args.wrap else ""
    print(f"{what} on {args.n} damaged documents per split (seed {args.seed}{wrapped}, corpus {corpus})")
    print(format_table(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
