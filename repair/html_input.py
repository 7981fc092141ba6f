"""HTML page → plain text, one block per block element, blocks separated by a blank line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import regex as re
from lxml import etree

from repair.errors import InputError

# Never content. (<header> inside <article>/<main> is kept: it holds the title and byline.)
DROP_TAGS = frozenset(
    {"head", "title", "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button",
     "iframe", "svg", "select", "textarea", "object", "embed", "canvas", "audio", "video"}
)
DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
# A class/id token (split at non-letters and camelCase humps), or two adjacent tokens
# joined ("side-bar"), equal to one of these marks page furniture. Kept conservative:
# whole tokens only, never substrings ("commentary" and "navigator" are not markers).
JUNK_MARKERS = frozenset(
    {"comment", "comments", "commentlist", "cmt", "pinglun", "reply", "replies",
     "share", "sharing", "sharebar", "sharebox", "bdshare", "bdsharebuttonbox", "social",
     "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
     "footer", "sidebar", "recommend", "recommended", "recommendation", "related", "relate",
     "login", "signin", "register", "copyright", "ad", "ads", "advert", "advertisement"}
)
# The main container must hold at least this share of the page's text, else use <body>.
MIN_CONTAINER_SHARE = 0.4
# An element marked as junk (by class/id, role, hidden or being a <form>) is kept anyway
# when it holds this share of the page's text: ASP.NET pages wrap everything in a form.
WRAPPER_SHARE = 0.5

BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
     "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
     "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
     "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
     "tfoot", "th", "thead", "tr", "ul"}
)
_HEADING_LEVEL = {f"h{n}": n for n in range(1, 7)}

MIN_ALT_CHARS = 4
_GENERIC_ALTS = frozenset({"image", "img", "photo", "picture", "pic", "logo", "icon", "banner",
                           "图片", "照片", "null", "undefined"})
_FILENAME_ALT = re.compile(
    r"(?i)\.(?:jpe?g|png|gif|webp|bmp|svg|tiff?|avif|heic)$|^\S*[/\\]\S*$|^(?:img|dsc|dscn|image|photo|pic)[_\-]?\d+$"
    r"|^[0-9a-f_\-]{8,}$|^\[[^\]]*\]$"
)

_XML_DECLARATION = re.compile(r"\A\ufeff?\s*<\?xml[^>]*>")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\p{Cs}]")
_MARKER_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"(?i)(?:display\s*:\s*none|visibility\s*:\s*hidden)")
# HTML collapses ASCII whitespace only; no-break and ideographic spaces are content.
_ASCII_WS = "[ \t\n\r\f]"
_WS_RUN = re.compile(f"{_ASCII_WS}+")
# Like browsers implementing CSS Text 3, a source line break between two wide (CJK)
# characters vanishes instead of becoming a space.
_WIDE = r"[[\p{ea=W}\p{ea=F}]--\p{Script=Hangul}]"
# Possessive runs: each whitespace run is tried once, so this stays linear.
_WIDE_LINE_BREAK = re.compile(rf"(?V1)(?<={_WIDE})[ \t\r\f]*+\n[ \t\n\r\f]*+(?={_WIDE})")
_BLANK = re.compile(r"[\s\p{Cf}]*")


def html_to_text(html: str) -> str:
    """Extract the readable text of an HTML page as blocks separated by blank lines.

    Headings become "# " (h1) or "## " (h2–h6) lines, list items "- " or "1. " lines. Returns "" for a page without text.
    Raises InputError for a page nested too deeply for the parser (it would lose text).
    """
    body = _parse_body(html)
    if body is None:
        return ""
    skipped = _junk_elements(body)
    root = _content_root(body, skipped)
    tables = {el: rows for el in root.iter("table") if el not in skipped and (rows := _data_rows(el))}
    collector = _BlockCollector(tables=tables)
    heading = _title_outside(root, body, skipped)
    if heading is not None:
        _walk(heading, skipped, collector)
    _walk(root, skipped | set(tables), collector)
    return "\n\n".join(collector.result())


# A table of data, not of layout: no table inside it, rows of two cells or more, short cells.
MAX_CELL_CHARS = 100


def _data_rows(table: etree._Element) -> list[list[str]] | None:
    """The cells of a data table, row by row; None for a table that lays out a page."""
    if table.find(".//table") is not None:
        return None
    rows = []
    for tr in table.iter("tr"):
        cells = [_clean("".join(td.itertext())) for td in tr if _tag(td) in ("td", "th")]
        if any(len(c) > MAX_CELL_CHARS for c in cells):
            return None
        if any(cells):
            rows.append(cells)
    if len(rows) < 2 or any(len(r) < 2 for r in rows):
        return None
    return rows


def markdown_table(rows: list[list[str]]) -> str:
    """Rows as a Markdown table, the first row its header (a pipe in a cell escaped)."""
    width = max(map(len, rows))
    lines = ["| " + " | ".join(c.replace("|", "\\|") for c in row + [""] * (width - len(row))) + " |" for row in rows]
    return "\n".join([lines[0], "|" + " --- |" * width, *lines[1:]])


# ---------------------------------------------------------------- parsing


class _TooDeep(Exception):
    pass


def _parse_body(html: str) -> etree._Element | None:
    html = _XML_ILLEGAL.sub("", _XML_DECLARATION.sub("", html, count=1))
    try:
        document = _parse(html)
    except _TooDeep:
        # Old pages leave <font>/<span> unclosed, one level deeper per paragraph, and
        # libxml2 silently drops everything below its depth limit: retry without them.
        try:
            document = _parse(_INLINE_TAG.sub("", html))
        except _TooDeep:
            raise InputError("HTML nested too deeply to read") from None
    if document is None:
        return None
    body = document.find("body")
    return document if body is None else body


_INLINE_TAG = re.compile(
    r"(?i)</?(?:a|abbr|b|big|cite|code|del|em|font|i|ins|mark|q|s|small|span|strike|strong|sub|sup|tt|u)\b[^>]*>"
)


def _parse(html: str) -> etree._Element | None:
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)
    try:
        document = etree.fromstring(html, parser)
    except (etree.LxmlError, ValueError):
        return None
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise _TooDeep
    return document


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


# ---------------------------------------------------------------- what to leave out


def _junk_elements(body: etree._Element) -> set[etree._Element]:
    """Elements whose whole subtree is not content (their descendants are not listed)."""
    certain = {el for el in body.iter() if _is_certain_junk(el)}
    chars = _char_counts(body, certain)
    skipped: set[etree._Element] = set()
    pending = [body]
    while pending:
        el = pending.pop()
        if el in certain or (el is not body and _is_junk_by_marks(el, chars[el], chars[body])):
            skipped.add(el)
        else:
            pending.extend(el)
    return skipped


def _is_junk_by_marks(el: etree._Element, el_chars: int, page_chars: int) -> bool:
    if not _is_likely_junk(el) or _holds_content(el):
        return False
    return el_chars < WRAPPER_SHARE * page_chars


def _is_certain_junk(el: etree._Element) -> bool:
    tag = _tag(el)
    if tag not in DROP_TAGS or tag == "form":
        return False
    return not (tag == "header" and _inside_main_content(el))


def _is_likely_junk(el: etree._Element) -> bool:
    if not isinstance(el.tag, str):
        return False
    if _tag(el) == "form" or el.get("role", "").lower() in DROP_ROLES:
        return True
    if el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style", "")):
        return True
    return _has_junk_marker(el.get("class", "") + " " + el.get("id", ""))


def _has_junk_marker(names: str) -> bool:
    tokens = [token.lower() for token in _MARKER_SPLIT.split(names) if token]
    pairs = (a + b for a, b in zip(tokens, tokens[1:]))
    return any(word in JUNK_MARKERS for word in (*tokens, *pairs))


def _inside_main_content(el: etree._Element) -> bool:
    return any(_tag(a) in {"article", "main"} or a.get("role") == "main" for a in el.iterancestors())


def _holds_content(el: etree._Element) -> bool:
    """True if the element is or contains an article, main content or the page title."""
    return bool(el.xpath("boolean(descendant-or-self::*[self::article or self::main or self::h1 or @role='main'])"))


# ---------------------------------------------------------------- where the content is


def _content_root(body: etree._Element, skipped: set[etree._Element]) -> etree._Element:
    chars = _char_counts(body, skipped)
    for candidate in _container_candidates(body, chars):
        if chars[candidate] >= MIN_CONTAINER_SHARE * chars[body] > 0:
            return candidate
    return body


def _container_candidates(body: etree._Element, chars: dict[etree._Element, int]) -> list[etree._Element]:
    """<article> with the most text, then role=main, then <main>; only visible ones."""
    def visible(el: etree._Element) -> bool:
        return el in chars  # elements inside skipped subtrees were never counted

    articles = sorted((el for el in body.iter("article") if visible(el)), key=chars.__getitem__, reverse=True)
    by_role = [el for el in body.xpath(".//*[@role='main']") if visible(el)]
    mains = [el for el in body.iter("main") if visible(el)]
    return articles[:1] + by_role + mains


def _title_outside(root: etree._Element, body: etree._Element, skipped: set[etree._Element]) -> etree._Element | None:
    """The last visible <h1> before the chosen container, when the container has none."""
    if root is body or root.find(".//h1") is not None:
        return None
    title = None
    for el in body.iter():
        if el is root:
            return title
        if _tag(el) == "h1" and not any(a in skipped for a in (el, *el.iterancestors())):
            title = el
    return None


def _char_counts(body: etree._Element, skipped: set[etree._Element]) -> dict[etree._Element, int]:
    """Visible non-space characters under each element not inside a skipped subtree."""
    counts: dict[etree._Element, int] = {}
    order: list[etree._Element] = []
    pending = [body]
    while pending:
        el = pending.pop()
        order.append(el)
        pending.extend(child for child in el if isinstance(child.tag, str) and child not in skipped)
    for el in reversed(order):  # children before parents
        total = _visible_len(el.text)
        for child in el:
            if child in counts:
                total += counts[child]
            total += _visible_len(child.tail)
        counts[el] = total
    return counts


def _visible_len(text: str | None) -> int:
    return len(_WHITESPACE.sub("", text)) if text else 0


_WHITESPACE = re.compile(r"\s+")


# ---------------------------------------------------------------- walking


class _Sink:
    def start(self, el: etree._Element) -> None: ...
    def end(self, el: etree._Element) -> None: ...
    def skip(self, el: etree._Element) -> None: ...
    def text(self, text: str) -> None: ...


def _walk(root: etree._Element, skipped: set[etree._Element], sink: _Sink) -> None:
    """Feed the subtree's elements and text to sink in document order, without recursion.

    A skipped element is reported (sink.skip) but not entered; its tail text is kept.
    """
    sink.start(root)
    if root.text:
        sink.text(root.text)
    stack = [(root, iter(root))]
    while stack:
        parent, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            sink.end(parent)
            if stack and parent.tail:
                sink.text(parent.tail)
            continue
        if not isinstance(child.tag, str) or child in skipped:
            if isinstance(child.tag, str):
                sink.skip(child)
            if child.tail:
                sink.text(child.tail)
            continue
        sink.start(child)
        if child.text:
            sink.text(child.text)
        stack.append((child, iter(child)))


@dataclass
class _Block:
    text: str
    from_alt: bool = False


@dataclass
class _BlockCollector(_Sink):
    blocks: list[_Block] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)
    lists: list[list[int]] = field(default_factory=list)  # per open list: [ordered, items so far]
    tables: dict[etree._Element, list[list[str]]] = field(default_factory=dict)  # data tables: printed whole
    marker: str = ""  # the list marker the next block of text opens with

    def start(self, el: etree._Element) -> None:
        tag = _tag(el)
        if tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 0])
        elif tag == "li" and self.lists:
            self.flush()
            ordered, count = self.lists[-1]
            self.lists[-1][1] = count + 1
            self.marker = f"{count + 1}. " if ordered else "- "
            return
        if tag == "br":
            self.flush()
        elif tag == "img":
            alt = _clean(el.get("alt", ""))
            if _meaningful_alt(alt):
                self.flush()
                self.blocks.append(_Block(alt, from_alt=True))
        elif tag in BLOCK_TAGS:
            self.flush()
            if tag in _HEADING_LEVEL:
                self.headings.append(_HEADING_LEVEL[tag])

    def end(self, el: etree._Element) -> None:
        tag = _tag(el)
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in BLOCK_TAGS:
            self.flush()
            self.marker = ""  # an item without text marks nothing after it
            if tag in _HEADING_LEVEL and self.headings:
                self.headings.pop()

    def skip(self, el: etree._Element) -> None:
        if _tag(el) in BLOCK_TAGS:
            self.flush()
        if el in self.tables:
            self.blocks.append(_Block(markdown_table(self.tables[el])))

    def text(self, text: str) -> None:
        self.pending.append(text)

    def flush(self) -> None:
        text = _clean("".join(self.pending))
        self.pending.clear()
        if not text:
            return
        if self.headings:
            text = ("# " if self.headings[-1] == 1 else "## ") + text
        elif self.marker:
            text = self.marker + text
        self.marker = ""
        self.blocks.append(_Block(text))

    def result(self) -> list[str]:
        self.flush()
        return [b.text for i, b in enumerate(self.blocks) if not (b.from_alt and self._repeated(i))]

    def _repeated(self, i: int) -> bool:
        """An image alt that a neighbouring caption already says."""
        alt = self.blocks[i].text
        neighbours: Iterable[_Block] = self.blocks[max(0, i - 1):i] + self.blocks[i + 1:i + 2]
        return any(alt in b.text for b in neighbours)


def _clean(text: str) -> str:
    text = _WS_RUN.sub(" ", _WIDE_LINE_BREAK.sub("", text)).strip(" ")
    return "" if _BLANK.fullmatch(text) else text


def _meaningful_alt(alt: str) -> bool:
    return len(alt) >= MIN_ALT_CHARS and alt.lower() not in _GENERIC_ALTS and not _FILENAME_ALT.search(alt)
