"""Bytes → text: encodings, empty and binary input, line endings, control characters, files."""

from __future__ import annotations

import codecs
import os
import random

import pytest

from repair.errors import InputError
from repair.reading import decode_bytes, normalize_text, read_document

# People's Daily, 2020-05-06 (corpus clean/003), opening paragraphs.
SIMPLIFIED = """长征五号  运载火箭首飞成功——

别浩浩碧海 向渺渺青空

核心阅读

长征五号B运载火箭首飞任务圆满成功，拉开了我国载人航天工程“第三步”任务序幕。它将重约22吨的载荷成功送入太空，奠定了长征五号系列火箭在世界现役火箭第一梯队中的地位。

按计划，我国空间站将在2022年前后建成，成为国家太空实验室。

“点火！”随着发射现场01号指挥员一声令下，文昌航天发射场1号塔架上的大火箭发出震天撼地般的轰鸣。随即腾空而起，直奔苍穹。

5月5日18时0分，长征五号B运载火箭搭载新一代载人飞船试验船和柔性充气式货物返回舱试验舱，从文昌航天发射场起飞，将所搭载航天器精准送入预定轨道。长征五号B运载火箭（以下简称长五B火箭）首飞任务圆满成功，迎来了空间站在轨建造阶段飞行任务的“开门红”，拉开了我国载人航天工程“第三步”任务序幕，也为后续空间站核心舱、实验舱发射奠定了坚实基础。

空间站建造进入实质阶段，长五B火箭加入天地往返运输系统

长五B火箭是为我国载人空间站工程研制的，它的首飞对后续空间站建造来说至关重要。
"""

# Taiwan, Traditional script (corpus clean/048), opening paragraphs.
TRADITIONAL = """2024上半年手機銷量Top 20

傑昇通信彙整市調機構對全台實體通路調查數據統計顯示，2024年上半年台灣手機市場整體銷售量約242萬支，相較於去年同期的228萬支增長6%，整體銷售額更比去年同期增加近一成。傑昇通信表示，儘管今年上半年手機市場面臨換機周期延長和總體經濟不確定性等挑戰，然而受惠於全球AI熱潮發酵，加上國內經濟回溫，不僅帶動需求成長，也有助民間消費動能延續；進一步觀察熱銷的20支單機，上半年手機市場競爭激烈，五大品牌攻城略地，仍由蘋果iPhone 15 Pro Max（256GB）拔得頭籌，成為全台最賣手機

2024上半年台灣整體手機市場銷量波動劇烈，自一月的45萬支，一路下滑到四月的36.3萬支，五月由於3G關台政策助推，銷量一度回升至42.9萬支，隨後在六月因蘋果新機上市前的觀望心態影響，銷量再次下跌至40.2萬支；全台最大通訊連鎖門市─傑昇通信指出，過往蘋果新機上市通常會引發銷量的周期性變化，相信今年也不例外，尤其是今年iPhone 16系列的重大升級，讓市場觀望期提前至六月。

傑昇通信透過2024上半年台灣手機熱銷排行榜20支單機來看，發現仍以蘋果及三星佔據主要市場份額，不同的是，除了OPPO，今年上半年紅米及vivo也大幅瓜分市場；特別是在各品牌定價低於600美元（換算約19,651元）的單機中，銷量逾129萬支，較去年同期成長6%，顯見行動通訊世代轉換對消費者購機需求影響顯著。
"""


def _encode(text: str, encoding: str) -> bytes:
    """Encode with an explicit byte-order mark where the name asks for one."""
    boms = {"utf-16-le+bom": (codecs.BOM_UTF16_LE, "utf-16-le"),
            "utf-16-be+bom": (codecs.BOM_UTF16_BE, "utf-16-be"),
            "utf-32-le+bom": (codecs.BOM_UTF32_LE, "utf-32-le"),
            "utf-32-be+bom": (codecs.BOM_UTF32_BE, "utf-32-be")}
    if encoding in boms:
        bom, codec = boms[encoding]
        return bom + text.encode(codec)
    return text.encode(encoding)


UNICODE_FORMS = [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16-le"),  # Python writes a little-endian BOM
    ("utf-16-le+bom", "utf-16-le"),
    ("utf-16-be+bom", "utf-16-be"),
    ("utf-32-le+bom", "utf-32-le"),
    ("utf-32-be+bom", "utf-32-be"),
]


# ---------------------------------------------------------------- decode_bytes


@pytest.mark.parametrize(("written", "reported"), UNICODE_FORMS + [("gbk", "gb18030"), ("gb18030", "gb18030")])
def test_simplified_text_decodes_identically(written: str, reported: str) -> None:
    assert decode_bytes(_encode(SIMPLIFIED, written)) == (SIMPLIFIED, reported)


@pytest.mark.parametrize(("written", "reported"), UNICODE_FORMS + [("big5", "big5"), ("gb18030", "gb18030")])
def test_traditional_text_decodes_identically(written: str, reported: str) -> None:
    assert decode_bytes(_encode(TRADITIONAL, written)) == (TRADITIONAL, reported)


@pytest.mark.parametrize(
    "line",
    ["核心阅读", "别浩浩碧海 向渺渺青空", "长征五号  运载火箭首飞成功——", "空间站建造进入实质阶段，长五B火箭加入天地往返运输系统",
     "法国全国大罢工再次严重影响交通", "朱镕基"],
)
def test_short_gbk_lines_decode_as_gb18030(line: str) -> None:
    assert decode_bytes(line.encode("gbk")) == (line, "gb18030")


@pytest.mark.parametrize(
    "line",
    ["2024上半年手機銷量Top 20", "血濺桃機 他把老婆丟下樓再跳樓", "樓梯吵架 抱起妻往下拋", "陸裔美籍凶嫌：川普會救我",
     "她墜十公尺 落在護網上"],
)
def test_short_big5_lines_decode_as_big5(line: str) -> None:
    assert decode_bytes(line.encode("big5")) == (line, "big5")


def test_every_paragraph_decodes_in_its_legacy_encoding() -> None:
    for paragraph in SIMPLIFIED.split("\n\n"):
        assert decode_bytes(paragraph.encode("gb18030"))[0] == paragraph
    for paragraph in TRADITIONAL.split("\n\n"):
        assert decode_bytes(paragraph.encode("big5"))[0] == paragraph


def test_traditional_text_saved_as_gbk_is_not_mistaken_for_big5() -> None:
    text = "繁體中文的報導，用GBK編碼保存。這種情況在大陸的網站很常見。"
    assert decode_bytes(text.encode("gbk")) == (text, "gb18030")


def test_cp950_only_characters_fall_back_to_cp950() -> None:
    text = "價格為€100元，傑昇通信表示銷量成長。"  # € exists in cp950, not in strict big5
    assert decode_bytes(text.encode("cp950")) == (text, "cp950")


def test_ascii_is_utf8() -> None:
    assert decode_bytes(b"plain ascii\n") == ("plain ascii\n", "utf-8")


def test_bom_is_not_part_of_the_text() -> None:
    text, _ = decode_bytes(codecs.BOM_UTF8 + "标题\n".encode())
    assert text == "标题\n"


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"  \n", codecs.BOM_UTF16_LE,
     codecs.BOM_UTF16_BE + " \n".encode("utf-16-be"), "\u3000\u3000\n".encode("gb18030")],
)
def test_empty_input(data: bytes) -> None:
    with pytest.raises(InputError, match="^empty file$"):
        decode_bytes(data)


def _png() -> bytes:
    rng = random.Random(7)
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
    return header + bytes(rng.randrange(256) for _ in range(4096))


def _random_without_nul(seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(1, 256) for _ in range(4096))


@pytest.mark.parametrize(
    "data",
    [_png(), b"text with a\x00NUL byte", "中文\x00文本".encode("gb18030"), b"\x7fELF\x02\x01\x01" + bytes(64),
     _random_without_nul(1), _random_without_nul(2), bytes(range(1, 32)) * 20,
     "文字".encode() + bytes(range(1, 9)) * 10, codecs.BOM_UTF16_LE + "a\x00b".encode("utf-16-le")],
)
def test_binary_input(data: bytes) -> None:
    with pytest.raises(InputError, match="^binary file, not text$"):
        decode_bytes(data)


def test_text_with_a_few_control_characters_is_still_text() -> None:
    text = SIMPLIFIED.replace("。", "。\x07", 3)
    assert decode_bytes(text.encode())[0] == text


def test_truncated_utf16_is_reported_as_such() -> None:
    with pytest.raises(InputError, match="UTF-16-LE"):
        decode_bytes(codecs.BOM_UTF16_LE + "标题".encode("utf-16-le")[:-1])


def test_unknown_legacy_encoding_is_named_in_the_error() -> None:
    with pytest.raises(InputError, match="^unknown text encoding"):
        decode_bytes("Привет, как дела? Это тест кодировки.".encode("koi8_r"))


# ---------------------------------------------------------------- normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一\r\n二\r\n", "一\n二\n"),
        ("一\r二\r", "一\n二\n"),
        ("一\r\n二\r三\n四\r\n\r\n五", "一\n二\n三\n四\n\n五"),
        ("一\r\r\n二", "一\n\n二"),
        ("一\u2028二\u2029三", "一\n二\n三"),
    ],
)
def test_line_endings(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_control_characters_are_removed_but_tab_and_newline_kept() -> None:
    raw = "标\x00题\x01\x08\x1b\x7f\n\t正文\x80\x9f内容\x1f\n"
    assert normalize_text(raw) == "标题\n\t正文内容\n"


def test_spaces_the_later_rules_report_are_left_alone() -> None:
    text = "\u3000\u3000正文\u00a0内容\u200b文字\u2002。\ufeff\n"
    assert normalize_text(text) == text


def test_page_breaks() -> None:
    assert normalize_text("第一页末行\n\f第二页首行\n") == "第一页末行\n第二页首行\n"
    assert normalize_text("末行\f\n下一行") == "末行\n下一行"
    assert normalize_text("\f开头") == "开头"
    assert normalize_text("一\f二") == "一\n二"
    assert normalize_text("一\n\f\n二") == "一\n\n二"
    assert normalize_text("一\x85二\v三") == "一\n二\n三"


def test_normalize_is_idempotent() -> None:
    once = normalize_text("a\r\nb\rc\x00\f\u2028d")
    assert normalize_text(once) == once


# ---------------------------------------------------------------- read_document


@pytest.mark.parametrize(("written", "_reported"), UNICODE_FORMS + [("gb18030", "gb18030"), ("gbk", "gb18030")])
def test_read_simplified_file(tmp_path, written: str, _reported: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(_encode(SIMPLIFIED.replace("\n", "\r\n"), written))
    assert read_document(path) == SIMPLIFIED


@pytest.mark.parametrize("written", ["utf-8", "utf-8-sig", "utf-16", "big5"])
def test_read_traditional_file(tmp_path, written: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(TRADITIONAL.encode(written))
    assert read_document(str(path)) == TRADITIONAL


def test_read_one_megabyte_line(tmp_path) -> None:
    line = (SIMPLIFIED.replace("\n", "") * 200)[:1_000_000]
    path = tmp_path / "long.txt"
    path.write_bytes(("\x01" + line + "\r\n").encode("gb18030"))
    assert read_document(path) == line + "\n"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_read_ten_megabytes(tmp_path, encoding: str) -> None:
    chunk = SIMPLIFIED.replace("\n", "\r\n") + "\f"
    text = chunk * (10_000_000 // len(chunk.encode(encoding)) + 1)
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode(encoding))
    assert read_document(path) == SIMPLIFIED * text.count("\f")


def test_read_empty_file(tmp_path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="^empty file$"):
        read_document(path)


def test_read_binary_file(tmp_path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(_png())
    with pytest.raises(InputError, match="^binary file, not text$"):
        read_document(path)


def test_missing_file(tmp_path) -> None:
    with pytest.raises(InputError, match="^cannot read: no such file$"):
        read_document(tmp_path / "missing.txt")


def test_directory(tmp_path) -> None:
    with pytest.raises(InputError, match="^cannot read: is a directory$"):
        read_document(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("正文")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="^cannot read: permission denied$"):
            read_document(path)
    finally:
        path.chmod(0o600)


# ---------------------------------------------------------------- read_document: HTML


def _page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}<title>page</title></head><body>{body}</body></html>\n"


def test_html_file_is_converted(tmp_path) -> None:
    path = tmp_path / "page.html"
    path.write_text(_page("<nav>首页</nav><h1>核心阅读</h1><p>按计划，我国空间站将在2022年前后建成。</p>"), encoding="utf-8")
    assert read_document(path) == "# 核心阅读\n\n按计划，我国空间站将在2022年前后建成。"


def test_html_content_in_a_txt_file_is_converted(tmp_path) -> None:
    path = tmp_path / "saved.txt"
    path.write_bytes(_page("<p>第一段</p><p>第二段</p>").replace("\n", "\r\n").encode("utf-16"))
    assert read_document(path) == "第一段\n\n第二段"


def test_html_named_file_without_markup_stays_plain_text(tmp_path) -> None:
    path = tmp_path / "saved.htm"
    path.write_text("第一行\n第二行\n", encoding="utf-8")
    assert read_document(path) == "第一行\n第二行\n"


def test_text_mentioning_html_is_not_converted(tmp_path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("正文提到<html>标签。\n<p>不是网页</p>\n", encoding="utf-8")
    assert read_document(path) == "正文提到<html>标签。\n<p>不是网页</p>\n"


@pytest.mark.parametrize(
    ("text", "encoding", "meta"),
    [
        (SIMPLIFIED, "gbk", '<meta charset="gb2312">'),
        (SIMPLIFIED, "gb18030", '<meta http-equiv="Content-Type" content="text/html; charset=GBK">'),
        (TRADITIONAL, "big5", "<meta charset=big5>"),
    ],
    ids=["gbk-as-gb2312", "gb18030-as-gbk", "big5"],
)
def test_html_meta_charset(tmp_path, text: str, encoding: str, meta: str) -> None:
    paragraphs = text.strip().split("\n\n")
    path = tmp_path / "page.htm"
    path.write_bytes(_page("".join(f"<p>{p}</p>" for p in paragraphs), head=meta).encode(encoding))
    # HTML collapses the double space in the first headline line.
    assert read_document(path) == "\n\n".join(p.replace("  ", " ") for p in paragraphs)


def test_meta_charset_is_honoured_over_detection(tmp_path) -> None:
    path = tmp_path / "page.html"
    page = _page("<p>Привет, как дела? Это тест кодировки.</p>", head='<meta charset="koi8-r">')
    path.write_bytes(page.encode("koi8_r"))
    assert read_document(path) == "Привет, как дела? Это тест кодировки."


def test_utf8_bytes_win_over_a_wrong_meta_charset(tmp_path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(_page("<p>傑昇通信指出</p>", head='<meta charset="gb2312">').encode("utf-8"))
    assert read_document(path) == "傑昇通信指出"


def test_html_without_text(tmp_path) -> None:
    path = tmp_path / "page.html"
    path.write_text(_page("<script>var a = 1;</script><img src='x.png'>"), encoding="utf-8")
    with pytest.raises(InputError, match="^no text in HTML page$"):
        read_document(path)
