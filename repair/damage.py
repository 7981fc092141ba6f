"""Damage clean articles the way real layouts break, keeping the ground truth.

The clean corpus (one article per file: `SOURCE: …`, a blank line, then blocks
separated by blank lines) is turned into documents that look like the damaged
seeds: paragraphs split at column breaks (sometimes across a line holding only a
no-break space, sometimes with the tail extracted before its head), other
articles' paragraphs printed inside the gap of a split, photo captions and
credits scattered through the body, a credit glued to the last paragraph, a lead
paragraph printed twice, web residue (bylines, a lone `|`, footers) and
half-width punctuation in Chinese text.

Every damage operation works on a list of `Block`s and returns an `OpRecord`
(or None when the list offers no target). The truth never changes: it is the
clean text (header lines, body paragraphs, captions), in order.

Everything is deterministic given the `random.Random` passed in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import regex as re

from .textutil import CLOSERS, display_width

# ---------------------------------------------------------------------------
# Clean articles
# ---------------------------------------------------------------------------

# Caption/credit detection is deliberately simple (one line at a time):
#   starts with 图①…图⑩ / 图为 / （图 / (图 / 图片来源 / 资料图
#   ends with 摄 / 供图 / 资料图片 (optionally followed by a closing bracket, or by the agency in
#   brackets: 某某摄（新华社发）)
#   starts with 版式设计 (a page credit, with or without a colon)
# Lines that merely mention a photographer inside a sentence
# ("…（本报记者某某摄）。") stay body paragraphs.
_CAPTION_START = re.compile(r"^(?:图[①-⑩]|图为|[（(]图|图片来源|资料图|版式设计)")
_CREDIT_END = re.compile(r"(?:摄|供图|资料图片)\s*(?:[）)]|[（(][^（()）]{1,12}[）)])?$")

# Header lines: before the first body paragraph, short, and without a full stop.
# Headlines may end in ！ or ？, so only 。 disqualifies a line.
HEADER_MAX_LEN = 64
# A body block that reads like an inner heading: short and no sentence punctuation.
HEADING_MAX_LEN = 40
_SENTENCE_PUNCT = re.compile(r"[。！？!?；;…]")
_SENTENCE_END = re.compile(r"[^。！？!?；;…]*[。！？!?；;…]+[”’」』）)]*")

_FULL_TO_HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")"})


@dataclass
class CleanArticle:
    name: str
    header: list[str]
    paragraphs: list[str]
    captions: list[str]


def is_caption(line: str) -> bool:
    s = line.strip()
    return bool(_CAPTION_START.match(s) or _CREDIT_END.search(s))


def is_credit(line: str) -> bool:
    s = line.strip()
    return bool(_CREDIT_END.search(s) or s.startswith("版式设计") or s.startswith("图片来源"))


def is_header_line(line: str) -> bool:
    """A line ending in a colon opens the text under it (a notice's addressees: 各省、…：), so it
    is the first line of the body, and a byline is never printed under it."""
    s = line.strip()
    return 0 < len(s) <= HEADER_MAX_LEN and "。" not in s and not s.endswith(("：", ":"))


def is_heading_like(text: str) -> bool:
    s = text.strip()
    return len(s) <= HEADING_MAX_LEN and not _SENTENCE_PUNCT.search(s)


def _clean_blocks(text: str) -> list[str]:
    body = text.split("\n", 1)[1] if text.startswith("SOURCE:") else text
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", body):
        for line in chunk.split("\n"):
            s = line.strip()  # also drops lines holding only U+00A0 / U+3000
            if s:
                out.append(s)
    return out


def parse_clean(name: str, text: str) -> CleanArticle:
    blocks = _clean_blocks(text)
    header: list[str] = []
    i = 0
    while i < len(blocks) and is_header_line(blocks[i]) and not is_caption(blocks[i]):
        header.append(blocks[i])
        i += 1
    if i == len(blocks):  # nothing but short lines: keep the first as the header only
        header, i = header[:1], min(1, len(blocks))
    paragraphs: list[str] = []
    captions: list[str] = []
    for b in blocks[i:]:
        (captions if is_caption(b) else paragraphs).append(b)
    return CleanArticle(name=name, header=header, paragraphs=paragraphs, captions=captions)


def load_clean(path: str | Path) -> CleanArticle:
    p = Path(path)
    return parse_clean(p.stem, p.read_text(encoding="utf-8"))


def file_number(name: str) -> int | None:
    m = re.match(r"(\d+)", Path(name).name)
    return int(m.group(1)) if m else None


def is_traditional(article: CleanArticle) -> bool:
    """True when converting to simplified script changes more than 2% of the Han characters."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a project dependency
        return False
    text = "".join(article.header + article.paragraphs[:5])
    han = [c for c in text if re.match(r"\p{Han}", c)]
    if not han:
        return False
    converted = opencc.OpenCC("t2s").convert("".join(han))
    changed = sum(1 for a, b in zip(han, converted) if a != b)
    return changed / len(han) > 0.02


# ---------------------------------------------------------------------------
# Truth and documents
# ---------------------------------------------------------------------------


@dataclass
class TruthArticle:
    title: str | None
    paragraphs: list[str]
    captions: list[str]
    header: list[str] = field(default_factory=list)  # all header lines (title first as printed)
    byline: str | None = None  # printed `▶ …` line, without the marker
    name: str = ""


@dataclass
class OpRecord:
    op: str
    article: int
    detail: str


@dataclass
class DamagedDoc:
    text: str
    truth: list[TruthArticle]
    name: str = ""
    ops: list[OpRecord] = field(default_factory=list)


@dataclass
class Block:
    """One printed block. `sep` is the text printed before it (blank lines etc.)."""

    text: str
    role: str  # title | byline | para | head | tail | caption | foreign | dup | residue
    art: int = -1  # article index on the page; -1 for text belonging to no truth article
    pid: int = -1  # index of the truth paragraph (para/head/tail)
    sep: str = "\n\n"
    moved: bool = False


BODY_ROLES = ("para", "head", "tail")
NBSP_SEP = "\n\n\u00a0\n"


def render(blocks: list[Block], lead: str = "") -> str:
    parts = [lead]
    for i, b in enumerate(blocks):
        if i:
            parts.append(b.sep)
        parts.append(b.text)
    return "".join(parts) + "\n"


def article_blocks(article: CleanArticle, art: int, title_prefix: str = "", byline: str | None = None,
                   heading_prefix: str = "") -> list[Block]:
    blocks = [Block((title_prefix if k == 0 else "") + h, "title", art) for k, h in enumerate(article.header)]
    if byline:
        blocks.append(Block("▶ " + byline, "byline", art))
    for pid, p in enumerate(article.paragraphs):
        text = heading_prefix + p if heading_prefix and is_heading_like(p) else p
        blocks.append(Block(text, "para", art, pid))
    return blocks


# ---------------------------------------------------------------------------
# Helpers for the operations
# ---------------------------------------------------------------------------


def _indices(blocks: list[Block], roles: tuple[str, ...], art: int | None = None) -> list[int]:
    return [i for i, b in enumerate(blocks) if b.role in roles and (art is None or b.art == art)]


def _splittable(b: Block, min_len: int = 30) -> bool:
    return b.role == "para" and len(b.text) >= min_len and not is_heading_like(b.text)


def _word_char(c: str) -> bool:
    return c.isalnum()  # letters (incl. Han) and digits


def split_positions(text: str, margin: int = 6) -> list[int]:
    """Positions p where a column break may fall: letters/digits on both sides,
    not inside an ASCII word or number, at least `margin` characters from each end."""
    out = []
    for p in range(margin, len(text) - margin + 1):
        a, b = text[p - 1], text[p]
        if not (_word_char(a) and _word_char(b)):
            continue
        if a.isascii() and b.isascii():
            continue
        out.append(p)
    return out


def _pairs(blocks: list[Block], art: int | None = None) -> list[tuple[int, int]]:
    """(head index, tail index) of every split paragraph."""
    heads = {(b.art, b.pid): i for i, b in enumerate(blocks) if b.role == "head"}
    out = []
    for i, b in enumerate(blocks):
        if b.role == "tail" and (b.art, b.pid) in heads and (art is None or b.art == art):
            out.append((heads[(b.art, b.pid)], i))
    return sorted(out)


def _adjacent_pairs(blocks: list[Block], art: int | None = None) -> list[tuple[int, int]]:
    return [(h, t) for h, t in _pairs(blocks, art) if t == h + 1]


def _first_body(blocks: list[Block], art: int) -> int | None:
    idx = _indices(blocks, BODY_ROLES + ("dup",), art)
    return idx[0] if idx else None


def _art_end(blocks: list[Block], art: int) -> int:
    idx = [i for i, b in enumerate(blocks) if b.art == art]
    return idx[-1] + 1 if idx else len(blocks)


def split_paragraph(blocks: list[Block], rng: random.Random, art: int | None = None,
                    sep: str = "\n\n") -> OpRecord | None:
    """Column break: cut a paragraph mid-sentence at a random letter/digit position."""
    cands = [i for i in _indices(blocks, ("para",), art) if _splittable(blocks[i]) and split_positions(blocks[i].text)]
    if not cands:
        return None
    i = rng.choice(cands)
    b = blocks[i]
    p = rng.choice(split_positions(b.text))
    head = Block(b.text[:p], "head", b.art, b.pid, b.sep)
    tail = Block(b.text[p:], "tail", b.art, b.pid, sep)
    blocks[i:i + 1] = [head, tail]
    return OpRecord("split", b.art, f"p{b.pid} at {p}: …{head.text[-6:]} | {tail.text[:6]}…")


def split_across_nbsp(blocks: list[Block], rng: random.Random, art: int | None = None) -> OpRecord | None:
    """Column break whose halves are separated by a line holding only U+00A0."""
    rec = split_paragraph(blocks, rng, art, sep=NBSP_SEP)
    if rec:
        rec.op = "split_nbsp"
    return rec


def bleed_leads(blocks: list[Block], rng: random.Random, src_art: int, into_art: int | None = None,
                count: int = 1) -> OpRecord | None:
    """Move the first `count` lead paragraphs of article `src_art` (on the same page)
    into the gap of a split paragraph of another article."""
    gaps = [g for g in _adjacent_pairs(blocks) if blocks[g[0]].art != src_art
            and (into_art is None or blocks[g[0]].art == into_art)]
    leads = _indices(blocks, ("para",), src_art)[:count]
    leads = [i for i in leads if not is_heading_like(blocks[i].text)]
    if not gaps or not leads or len(_indices(blocks, BODY_ROLES, src_art)) <= len(leads):
        return None
    h, _ = rng.choice(gaps)
    moved = [blocks[i] for i in leads]
    host = blocks[h]
    for i in reversed(leads):
        del blocks[i]
    h = blocks.index(host)
    blocks[h + 1:h + 1] = moved
    return OpRecord("bleed_leads", host.art, f"{len(moved)} lead(s) of article {src_art} into p{host.pid}")


def bleed_foreign(blocks: list[Block], rng: random.Random, texts: list[str], art: int | None = None,
                  role: str = "foreign") -> OpRecord | None:
    """Print paragraphs of an article that is not part of the document into a split gap
    (or, with no split available, between two paragraphs)."""
    gaps = [h for h, _ in _adjacent_pairs(blocks, art)]
    if not gaps:
        gaps = _indices(blocks, ("para",), art)[:-1]
    if not gaps or not texts:
        return None
    h = rng.choice(gaps)
    blocks[h + 1:h + 1] = [Block(t, role, -1) for t in texts]
    return OpRecord("bleed_foreign", blocks[h].art, f"{len(texts)} foreign block(s) after p{blocks[h].pid}")


def bleed_photo_item(blocks: list[Block], rng: random.Random, text: str, caption: str, credit: str,
                     art: int | None = None) -> OpRecord | None:
    """A photo item of another article (text + `图为…` caption) lands in a split gap;
    its credit ends up as the last line of the file."""
    rec = bleed_foreign(blocks, rng, [text, caption], art)
    if rec is None:
        return None
    blocks.append(Block(credit, "foreign", -1, sep="\n\n\n\n"))
    rec.op = "bleed_photo_item"
    return rec


def move_tail_before_head(blocks: list[Block], rng: random.Random, art: int | None = None) -> OpRecord | None:
    """Extract a split tail far away, before its head: right after the article's first
    paragraph (tails moved there keep the order of their heads)."""
    cands = []
    for h, t in _pairs(blocks, art):
        first = _first_body(blocks, blocks[h].art)
        if first is not None and h > first + 1 and not blocks[t].moved:
            cands.append(t)
    if not cands:
        return None
    t = rng.choice(cands)
    tail = blocks.pop(t)
    tail.moved = True
    pos = _first_body(blocks, tail.art) + 1
    while (pos < len(blocks) and blocks[pos].moved and blocks[pos].art == tail.art
           and blocks[pos].pid < tail.pid):
        pos += 1
    if tail.sep == NBSP_SEP:
        tail.sep = "\n\n"
    blocks.insert(pos, tail)
    return OpRecord("move_tail", tail.art, f"tail of p{tail.pid} moved to position {pos}")


def delay_tail(blocks: list[Block], rng: random.Random, art: int | None = None) -> OpRecord | None:
    """A split tail printed after the next paragraph of the same article."""
    cands = [t for h, t in _adjacent_pairs(blocks, art)
             if t + 1 < len(blocks) and blocks[t + 1].role == "para" and blocks[t + 1].art == blocks[t].art]
    if not cands:
        return None
    t = rng.choice(cands)
    blocks[t], blocks[t + 1] = blocks[t + 1], blocks[t]
    return OpRecord("delay_tail", blocks[t + 1].art, f"tail of p{blocks[t + 1].pid} after p{blocks[t].pid}")


def scatter_captions(blocks: list[Block], rng: random.Random, captions: list[str], art: int) -> OpRecord | None:
    """Insert captions/credits at random places of the article, with 1 or 3 blank lines around."""
    if not captions:
        return None
    start = next((i for i, b in enumerate(blocks) if b.art == art), 0)
    for cap in captions:
        pos = rng.randint(start, _art_end(blocks, art))
        sep = rng.choice(["\n\n", "\n\n\n\n"])
        blocks.insert(pos, Block(cap, "caption", art, sep=sep))
        if pos + 1 < len(blocks) and blocks[pos + 1].sep == "\n\n":
            blocks[pos + 1].sep = sep
    return OpRecord("scatter_captions", art, f"{len(captions)} caption(s)")


def glue_credit(blocks: list[Block], rng: random.Random, credit: str, art: int) -> OpRecord | None:
    """Append a credit to the end of the article's last paragraph, after a space."""
    idx = _indices(blocks, BODY_ROLES, art)
    if not idx or is_heading_like(blocks[idx[-1]].text):
        return None
    b = blocks[idx[-1]]
    b.text = b.text + rng.choice([" ", " ", "\u3000"]) + credit
    return OpRecord("glue_credit", art, f"credit glued to p{b.pid}")


def _first_sentence_end(text: str) -> int | None:
    m = _SENTENCE_END.match(text)
    return m.end() if m and m.end() < len(text) else None


def repeat_lead(blocks: list[Block], rng: random.Random, art: int, verbatim: bool = False) -> OpRecord | None:
    """The lead printed twice. The truth paragraph is a later one (index 1–3) that starts
    with a sentence of its own; a copy of it without that sentence (or, `verbatim`,
    the whole paragraph) is printed as the article's first paragraph."""
    body = [i for i in _indices(blocks, ("para",), art) if 1 <= blocks[i].pid <= 3]
    cands = []
    for i in body:
        t = blocks[i].text
        if is_heading_like(t) or len(t) < 40:
            continue
        if verbatim:
            cands.append((i, t))
            continue
        end = _first_sentence_end(t)
        if end and end <= 0.6 * len(t) and len(t) - end >= 30:
            cands.append((i, t[end:]))
    first = _first_body(blocks, art)
    if not cands or first is None:
        return None
    i, dup = rng.choice(cands)
    blocks.insert(first, Block(dup, "dup", art))
    kind = "verbatim" if verbatim else "inside"
    return OpRecord("repeat_lead", art, f"{kind} copy of p{blocks[i + 1].pid} printed first")


def add_web_byline(blocks: list[Block], rng: random.Random, art: int, line: str) -> OpRecord | None:
    """A web byline (作者/来源/编辑/发布时间) after the headline, then a lone `|`."""
    titles = _indices(blocks, ("title", "byline"), art)
    pos = titles[-1] + 1 if titles else _first_body(blocks, art) or 0
    if rng.random() < 0.5:
        blocks.insert(pos, Block(line + "\n|", "residue", -1))
    else:
        blocks[pos:pos] = [Block(line, "residue", -1), Block("|", "residue", -1)]
    return OpRecord("web_byline", art, line[:20])


def add_footer(blocks: list[Block], rng: random.Random, lines: list[str]) -> OpRecord | None:
    """Site footer lines at the end (友情链接, Copyright … ICP备…号, 公网安备)."""
    joined = rng.random() < 0.5
    if joined:
        blocks.append(Block("\n".join(lines), "residue", -1))
    else:
        blocks.extend(Block(t, "residue", -1) for t in lines)
    return OpRecord("footer", -1, f"{len(lines)} line(s)")


def to_halfwidth(text: str) -> str:
    return text.translate(_FULL_TO_HALF)


def halfwidth_punct(blocks: list[Block], rng: random.Random, share: float = 1.0) -> OpRecord | None:
    """Convert full-width ，：；！？（） to half-width in a share of the blocks."""
    n = 0
    for b in blocks:
        if rng.random() < share:
            new = to_halfwidth(b.text)
            n += new != b.text
            b.text = new
    return OpRecord("halfwidth", -1, f"{n} block(s)") if n else None


# ---------------------------------------------------------------------------
# Synthetic residue, names and captions (generic, not taken from any document)
# ---------------------------------------------------------------------------

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娥玲菊兰凤洁梅琳素云莲真环雪荣爱妹香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
_ORGS = ["受访者", "主办方", "当地宣传部门", "资料", "新华社", "视觉中国", "活动组委会", "区委宣传部"]
_SOURCES = ["本网", "新华网", "人民网", "中国新闻网", "日报客户端", "融媒体中心", "晚报"]
_LINKS = ["政府网站", "新闻中心", "合作媒体", "地方频道", "数据服务", "高新园区", "网上举报"]
_PROVINCES = "京沪津渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵云陕甘青蒙宁新藏"


def fake_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice([1, 2, 2])))


def fake_byline(rng: random.Random) -> str:
    names = " ".join(fake_name(rng) for _ in range(rng.randint(1, 3)))
    return rng.choice(["", "本报记者 ", "记者 ", "通讯员 "]) + names


def fake_credit(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return f"{rng.choice(['本报记者 ', '记者 ', ''])}{fake_name(rng)}摄"
    if kind == 1:
        return f"{rng.choice(_ORGS)}供图"
    if kind == 2:
        return "资料图片"
    return f"版式设计：{fake_name(rng)}"


def fake_caption(rng: random.Random, article: CleanArticle) -> str | None:
    """`图为` + a clause of the article (captions usually restate the text)."""
    clauses = [c for p in article.paragraphs if not is_heading_like(p)
               for c in re.split(r"[，。；！？：]", p)
               if 10 <= len(c) <= 30 and len(re.findall(r"\p{Han}", c)) >= 8 and not re.search(r"[“”‘’《》（）()]", c)]
    return f"图为{rng.choice(clauses)}。" if clauses else None


def fake_web_byline(rng: random.Random) -> str:
    y, mo, d = rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28)
    h, mi, s = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    authors = " ".join(fake_name(rng) for _ in range(rng.randint(1, 3)))
    sep = rng.choice([":", "："])
    return (f"作者{sep}{authors} 来源{sep}{rng.choice(_SOURCES)} 编辑{sep}{fake_name(rng)} "
            f"发布时间{sep}{y}年{mo:02d}月{d:02d}日 {h:02d}:{mi:02d}:{s:02d}")


def fake_footer(rng: random.Random) -> list[str]:
    domain = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 10))) + ".com"
    prov = rng.choice(_PROVINCES)
    links = " ".join(rng.sample(_LINKS, 3))
    lines = [
        f"友情链接: {links}",
        f"Copyright {rng.randint(1998, 2010)}-{rng.randint(2018, 2025)} {domain} All Rights Reserved."
        f"{prov}ICP备{rng.randint(10000000, 99999999)}号-{rng.randint(1, 9)}",
    ]
    if rng.random() < 0.5:
        lines.append(f"{prov}公网安备 {rng.randint(10**13, 10**14 - 1)}号 版权所有")
    return lines


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------


def _article_captions(article: CleanArticle, rng: random.Random) -> list[str]:
    """The article's own captions, plus synthetic ones for most articles that have none."""
    caps = list(article.captions)
    if not caps and rng.random() < 0.6:
        cap = fake_caption(rng, article)
        if cap and rng.random() < 0.7:
            caps.append(cap)
        caps.append(fake_credit(rng))
    return caps


def _damage_article(blocks: list[Block], rng: random.Random, art: int, log: list[OpRecord]) -> None:
    def rec(r: OpRecord | None) -> None:
        if r:
            log.append(r)

    for _ in range(rng.randint(1, 4)):
        rec(split_across_nbsp(blocks, rng, art) if rng.random() < 0.2 else split_paragraph(blocks, rng, art))
    if rng.random() < 0.4:
        for _ in range(rng.randint(1, 2)):
            rec(move_tail_before_head(blocks, rng, art))
    if rng.random() < 0.25:
        rec(delay_tail(blocks, rng, art))


def make_document(articles: list[CleanArticle], rng: random.Random,
                  donors: list[CleanArticle] | None = None, name: str = "") -> DamagedDoc:
    """A single article (len 1) or a page of 2–3 articles, damaged at random.

    `donors` are articles not in the document; their text may bleed in (single
    articles only — on a page the other articles bleed into each other).
    """
    page = len(articles) > 1
    md = page and rng.random() < 0.6
    log: list[OpRecord] = []
    blocks: list[Block] = []
    truth: list[TruthArticle] = []
    credits: dict[int, str] = {}  # credit to glue to the article's last paragraph
    scatter: dict[int, list[str]] = {}  # captions to scatter through the article
    for art, a in enumerate(articles):
        byline = fake_byline(rng) if (page or rng.random() < 0.4) else None
        heading_prefix = "## " if md and rng.random() < 0.7 else ""
        blocks += article_blocks(a, art, "# " if md else "", byline, heading_prefix)
        caps = _article_captions(a, rng)
        if caps and rng.random() < 0.3 and is_credit(caps[-1]):
            credits[art], scatter[art] = caps[-1], caps[:-1]
        else:
            scatter[art] = caps
        truth.append(TruthArticle(title=a.header[0] if a.header else None, paragraphs=list(a.paragraphs),
                                  captions=caps, header=list(a.header), byline=byline, name=a.name))

    for art in range(len(articles)):
        _damage_article(blocks, rng, art, log)

    if page:
        for art in range(1, len(articles)):
            if rng.random() < 0.7:
                r = bleed_leads(blocks, rng, art, count=rng.choice([1, 2, 2]))
                if r:
                    log.append(r)
    elif donors:
        donor = rng.choice(donors)
        texts = [p for p in donor.paragraphs if not is_heading_like(p)]
        if texts and rng.random() < 0.35:
            r = bleed_foreign(blocks, rng, texts[: rng.choice([1, 2])], 0)
            if r:
                log.append(r)
        if len(texts) > 2 and rng.random() < 0.3:
            cap = fake_caption(rng, donor)
            if cap:
                r = bleed_photo_item(blocks, rng, texts[-1], cap, f"{rng.choice(_ORGS)}供图", 0)
                if r:
                    log.append(r)

    for art, t in enumerate(truth):
        r = scatter_captions(blocks, rng, scatter[art], art)
        if r:
            log.append(r)
        if art in credits:
            r = glue_credit(blocks, rng, credits[art], art)
            if r:
                log.append(r)
            else:  # no paragraph to glue to: print it as a caption
                scatter_captions(blocks, rng, [credits[art]], art)
        if art == 0 and rng.random() < 0.3:
            r = repeat_lead(blocks, rng, art, verbatim=rng.random() < 0.3)
            if r:
                log.append(r)

    if rng.random() < (0.2 if page else 0.4):
        log.append(add_web_byline(blocks, rng, 0, fake_web_byline(rng)))
    if rng.random() < 0.35:
        log.append(add_footer(blocks, rng, fake_footer(rng)))
    if rng.random() < 0.5:
        r = halfwidth_punct(blocks, rng, share=rng.choice([1.0, 1.0, 0.4]))
        if r:
            log.append(r)

    lead = "\n" * rng.choice([0, 0, 2, 3, 4])
    if page and donors:
        log.append(_page_photo_item(blocks, random.Random(f"{name}:page photo item"), donors, len(articles)))
    return DamagedDoc(text=render(blocks, lead), truth=truth, name=name, ops=[r for r in log if r])


def _page_photo_item(blocks: list[Block], rng: random.Random, donors: list[CleanArticle], articles: int) -> OpRecord | None:
    """A photo item from off the page (text, caption, and its credit at the end of the file)
    printed inside one of a page's articles, as on seed 002. Its own random stream, drawn last:
    the page's other damage, and the documents made after it, stay as they were."""
    if rng.random() >= 0.3:
        return None
    donor = rng.choice(donors)
    texts = [p for p in donor.paragraphs if not is_heading_like(p)]
    cap = fake_caption(rng, donor)
    if len(texts) <= 2 or not cap:
        return None
    return bleed_photo_item(blocks, rng, texts[-1], cap, f"{rng.choice(_ORGS)}供图", rng.randrange(articles))


def corpus_articles(corpus_dir: str | Path, split: str = "dev", simplified_only: bool = True) -> list[CleanArticle]:
    """Clean articles of a split: "dev" = odd file numbers, "holdout" = even, "all"."""
    if split not in ("dev", "holdout", "all"):
        raise ValueError(f"unknown split {split!r}")
    out = []
    for path in sorted(Path(corpus_dir).glob("*.txt")):
        num = file_number(path.name)
        if split != "all" and (num is None or (num % 2 == 1) != (split == "dev")):
            continue
        art = load_clean(path)
        if not art.paragraphs or (simplified_only and is_traditional(art)):
            continue
        out.append(art)
    return out


def make_set(corpus_dir: str | Path, n: int, seed: int, split: str = "dev") -> list[DamagedDoc]:
    """`n` damaged documents built from the split's clean articles; about half are pages."""
    pool = corpus_articles(corpus_dir, split)
    if not pool:
        raise ValueError(f"no clean articles for split {split!r} in {corpus_dir}")
    rng = random.Random(f"{seed}:{split}")
    headed = [a for a in pool if a.header]
    docs = []
    for k in range(n):
        if len(headed) >= 2 and rng.random() < 0.5:
            arts = rng.sample(headed, min(len(headed), rng.choice([2, 2, 3])))
        else:
            arts = [rng.choice(pool)]
        donors = [a for a in pool if a not in arts]
        name = f"{split}-{k:03d}-" + "+".join(a.name.split("_")[0] for a in arts)
        docs.append(make_document(arts, rng, donors, name))
    return docs


# ---------------------------------------------------------------------------
# Hard wrapping (OCR, PDF text exports)
# ---------------------------------------------------------------------------

_NO_LINE_START = "，。、；：！？〉,.;:!?" + CLOSERS
_WORD = re.compile(r"[A-Za-z0-9]")


def wrap_line(line: str, width: int) -> list[str]:
    """Cut a line where `width` display columns run out, as a typesetter does: a closing mark
    never opens a line (it hangs at the end of the line before), a Latin word or a number is
    not cut (it moves to the next line whole), and a space at the cut is dropped."""
    out: list[str] = []
    start, used = 0, 0
    for i, ch in enumerate(line):
        w = display_width(ch) or 1  # a space takes a column too
        if used + w > width and i > start and ch not in _NO_LINE_START:
            cut = i
            while cut > start and _WORD.match(line[cut - 1]) and _WORD.match(line[cut]):
                cut -= 1
            cut = cut if cut > start else i
            out.append(line[start:cut].rstrip(" "))
            start = cut + 1 if line[cut] == " " else cut
            used = display_width(line[start : i + 1])
            continue
        used += w
    if start < len(line):
        out.append(line[start:])
    return out


def hard_wrap(doc: DamagedDoc, rng: random.Random) -> DamagedDoc:
    """Print the document as a text export of a page does: every line wrapped at one width,
    paragraphs marked by an ideographic-space indent and no empty lines, or kept apart by
    empty lines. A page knows no Markdown: titles and headings lose their `#` marks."""
    width = rng.choice([30, 36, 40, 44, 52])
    indent = rng.random() < 0.6
    out = []
    for line in doc.text.split("\n"):
        if not line.strip():
            if not indent:
                out.append(line)
            continue
        out += wrap_line(("\u3000\u3000" if indent else "") + re.sub(r"^#+\s+", "", line), width)
    style = "indented" if indent else "spaced"
    return DamagedDoc(text="\n".join(out) + "\n", truth=doc.truth, name=doc.name,
                      ops=[*doc.ops, OpRecord("hard_wrap", 0, f"{style} paragraphs, {width} columns")])


def make_wrapped_set(corpus_dir: str | Path, n: int, seed: int, split: str = "dev") -> list[DamagedDoc]:
    """The documents of `make_set`, each then hard-wrapped."""
    rng = random.Random(f"{seed}:{split}:wrap")
    return [hard_wrap(d, rng) for d in make_set(corpus_dir, n, seed, split)]
