"""Bad input through the real CLI: encodings, binary and empty files, huge files, line endings,
control characters, HTML. One bad file never stops the batch and never shows a traceback."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
import regex as re

from conftest import CORPUS, SEEDS, run_cli, seed
from test_batch import copy_seeds, failure_lines, stats

CLEAN = CORPUS / "clean"
needs_corpus = pytest.mark.skipif(not CLEAN.is_dir(), reason="clean corpus not available next to the repository")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def markdown_of(out: Path, stem: str) -> list[str]:
    """The Markdown written for input `stem`: one article, or the articles of a page, in order."""
    single = out / f"{stem}.md"
    if single.is_file():
        return [single.read_text(encoding="utf-8")]
    return [p.read_text(encoding="utf-8") for p in sorted(out.glob(f"{stem}-[0-9][0-9].md"))]


def html_page(title: str, paragraphs: list[str], charset: str = "utf-8") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>{title}</title></head><body>\n'
        '<nav><a href="/">首页</a> <a href="/news">新闻</a></nav>\n'
        f"<article><h1>{title}</h1>\n{body}\n</article>\n"
        "<footer>版权所有 © 2024</footer></body></html>\n"
    )


def ten_megabytes() -> str:
    article = next(CLEAN.glob("001_*.txt")).read_text(encoding="utf-8")
    return "\n\n".join([article] * (10_000_000 // len(article.encode("utf-8")) + 1))


@needs_corpus
def test_the_acceptance_folder(tmp_path: Path) -> None:
    """Seeds, a GB18030 and a UTF-16 copy, an HTML page, 10 MB, a binary and an empty file."""
    src, out = tmp_path / "in", tmp_path / "out"
    copy_seeds(src)
    original = seed("000")
    text = original.read_text(encoding="utf-8")
    (src / "copy-gb18030.txt").write_bytes(text.encode("gb18030"))
    (src / "copy-utf16.txt").write_bytes(text.encode("utf-16"))
    (src / "page.html").write_text(html_page("国务院常务会议部署稳就业", ["会议指出，要稳定就业。", "会议强调，要加大支持力度。"]),
                                   encoding="utf-8")
    (src / "big.txt").write_text(ten_megabytes(), encoding="utf-8")
    rng = random.Random(5)
    binary = src / "binary.txt"
    binary.write_bytes(bytes(rng.randrange(256) for _ in range(4096)) + b"\x00" * 64)
    empty = src / "empty.txt"
    empty.write_bytes(b"")

    proc = run_cli("fix", str(src), "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(failure_lines(proc.stderr)) == [
        f"repair: {binary}: binary file, not text",
        f"repair: {empty}: empty file",
    ]
    good = [p for p in src.iterdir() if p not in (binary, empty)]
    for source in good:
        assert (out / f"{source.stem}.report.json").is_file(), source
        assert markdown_of(out, source.stem), source
    assert not list(out.glob("binary*")) and not list(out.glob("empty*"))
    for copy in ("copy-gb18030", "copy-utf16"):
        assert markdown_of(out, copy) == markdown_of(out, original.stem), copy
    page = markdown_of(out, "page")[0]
    assert "国务院常务会议部署稳就业" in page and "会议强调，要加大支持力度。" in page and "版权所有" not in page
    assert len(markdown_of(out, "big")[0]) > 1_000_000

    times = stats(out)
    again = run_cli("fix", str(src), "-o", str(out))
    assert again.returncode == 1 and "0 repaired, 9 up to date, 2 failed" in again.stderr, again.stderr
    assert stats(out) == times


def _encoded_copies(text: str) -> dict[str, bytes]:
    copies = {
        "utf-8": text.encode("utf-8"),
        "utf-8-bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf-16-le-bom": text.encode("utf-16"),  # Python writes a BOM, little-endian here
        "utf-16-be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "gb18030": text.encode("gb18030"),
    }
    try:
        copies["gbk"] = text.encode("gbk")
    except UnicodeEncodeError:
        pass
    return copies


def test_every_encoding_gives_identical_markdown(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    names = []
    for path in sorted(SEEDS.glob("*.txt")):
        for encoding, data in _encoded_copies(path.read_text(encoding="utf-8")).items():
            (src / f"{path.stem}.{encoding}.txt").write_bytes(data)
            names.append((path.stem, encoding))
    proc = run_cli("fix", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    for stem, encoding in names:
        assert markdown_of(out, f"{stem}.{encoding}") == markdown_of(out, f"{stem}.utf-8"), (stem, encoding)


def test_big5_and_traditional_utf8_give_identical_markdown(tmp_path: Path) -> None:
    from repair.script import convert

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for path in sorted(CLEAN.glob("00[1-4]_*.txt")):
        traditional = convert(path.read_text(encoding="utf-8"), "s2t")
        traditional = "".join(ch for ch in traditional if _in_big5(ch))
        (src / f"{path.stem}.utf-8.txt").write_text(traditional, encoding="utf-8")
        (src / f"{path.stem}.big5.txt").write_bytes(traditional.encode("big5"))
        (src / f"{path.stem}.utf-16.txt").write_bytes(traditional.encode("utf-16"))
    proc = run_cli("fix", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    for path in sorted(CLEAN.glob("00[1-4]_*.txt")):
        expected = markdown_of(out, f"{path.stem}.utf-8")
        assert expected and markdown_of(out, f"{path.stem}.big5") == expected, path.name
        assert markdown_of(out, f"{path.stem}.utf-16") == expected, path.name


def _in_big5(ch: str) -> bool:
    try:
        ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return True


def test_line_endings_do_not_matter(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        variants = {
            "lf": text,
            "crlf": text.replace("\n", "\r\n"),
            "cr": text.replace("\n", "\r"),
            "mixed": "".join(line + ("\r\n", "\n", "\r")[n % 3] for n, line in enumerate(lines[:-1])) + lines[-1],
        }
        for name, variant in variants.items():
            (src / f"{path.stem}.{name}.txt").write_bytes(variant.encode("utf-8"))
    proc = run_cli("fix", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    for path in sorted(SEEDS.glob("*.txt")):
        expected = markdown_of(out, f"{path.stem}.lf")
        for name in ("crlf", "cr", "mixed"):
            assert markdown_of(out, f"{path.stem}.{name}") == expected, (path.name, name)


def test_control_characters_are_dropped(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    text = seed("001").read_text(encoding="utf-8")
    lines = text.split("\n")
    # a bell, an escape, a DEL and a C1 control inside lines; a form feed opening a page, as pdftotext writes
    noisy = [
        (line[:3] + "\x07" + line[3:5] + "\x1b" + line[5:] + "\x7f\x85" if n % 4 == 1 and len(line) > 6 else line)
        for n, line in enumerate(lines)
    ]
    noisy[len(noisy) // 2] = "\f" + noisy[len(noisy) // 2]
    (src / "clean.txt").write_text(text, encoding="utf-8")
    (src / "noisy.txt").write_text("\n".join(noisy), encoding="utf-8")
    (src / "tabs-and-vt.txt").write_text(text.replace("。", "。\v", 3).replace("，", "\t，", 3), encoding="utf-8")
    proc = run_cli("fix", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert markdown_of(out, "noisy") == markdown_of(out, "clean")
    for markdown in markdown_of(out, "tabs-and-vt") + markdown_of(out, "noisy"):
        assert not CONTROL.search(markdown)


def test_binary_and_empty_files_fail_alone(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    copy_seeds(src)
    rng = random.Random(7)
    bad = {
        "random.txt": (bytes(rng.randrange(256) for _ in range(2000)) + b"\x00\x00", "binary file, not text"),
        "image.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary file, not text"),
        "empty.txt": (b"", "empty file"),
        "blank.txt": (b" \n\r\n\t\n", "empty file"),
        "empty-page.html": (b"", "empty file"),
        "bom-only.txt": (codecs.BOM_UTF8, "empty file"),
    }
    for name, (data, _) in bad.items():
        (src / name).write_bytes(data)
    proc = run_cli("fix", str(src), "-o", str(out))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert sorted(failure_lines(proc.stderr)) == sorted(f"repair: {src / name}: {reason}" for name, (_, reason) in bad.items())
    assert len(list(out.glob("*.report.json"))) == 5
    for name in bad:
        assert not list(out.glob(f"{Path(name).stem}.*"))


@needs_corpus
def test_one_megabyte_lines(tmp_path: Path) -> None:
    """No punctuation at all, or a comma every few characters: both finish (the subprocess has a bound)."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    article = next(CLEAN.glob("002_*.txt")).read_text(encoding="utf-8")
    han = "".join(ch for ch in article if "\u4e00" <= ch <= "\u9fff")
    bare = (han * (1_000_000 // len(han.encode("utf-8")) + 1))
    (src / "bare.txt").write_text(bare + "\n", encoding="utf-8")
    (src / "commas.txt").write_text(",".join(bare[i : i + 4] for i in range(0, len(bare), 4)) + "\n", encoding="utf-8")
    (src / "ascii.txt").write_text("word" * 260_000 + "\n", encoding="utf-8")
    proc = run_cli("fix", str(src), "-o", str(out), "-j", "1")
    assert proc.returncode == 0, proc.stderr
    commas = "".join(markdown_of(out, "commas"))
    assert "," not in commas and commas.count("，") == len(range(0, len(bare), 4)) - 1
    assert len("".join(markdown_of(out, "bare"))) >= len(bare)


def test_long_runs_of_spaces_inside_lines(tmp_path: Path) -> None:
    """Hundreds of thousands of spaces, tabs or no-break spaces inside a line: the run collapses
    to one space and the document finishes (patterns that tried such a run from each of its
    spaces took minutes; the subprocess has a bound)."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name, space in (("spaces", " "), ("tabs", "\t"), ("nbsp", "\u00a0")):
        text = "第一段写完了。\n\n记者张三摄" + space * 300_000 + "x\n\n第二段也写完了。\n"
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
    proc = run_cli("fix", str(src), "-o", str(out), "-j", "1")
    assert proc.returncode == 0, proc.stderr
    for name in ("spaces", "tabs", "nbsp"):
        markdown = "".join(markdown_of(out, name))
        assert "第一段写完了。" in markdown and "第二段也写完了。" in markdown
        assert "记者张三摄 x" in markdown


def test_html_in_legacy_encoding_matches_utf8(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    paragraphs = [p for p in seed("000").read_text(encoding="utf-8").split("\n") if len(p) > 30][:6]
    (src / "page.utf8.html").write_text(html_page("打造党群工作金名片", paragraphs), encoding="utf-8")
    (src / "page.gbk.htm").write_bytes(html_page("打造党群工作金名片", paragraphs, "gbk").encode("gb18030"))
    proc = run_cli("fix", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    utf8 = markdown_of(out, "page.utf8")
    assert utf8 == markdown_of(out, "page.gbk")
    assert "打造党群工作金名片" in utf8[0] and "首页" not in utf8[0]
