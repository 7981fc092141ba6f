from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def rules():
    from repair.rules import load_rules

    return load_rules()


# six short paragraphs of ordinary news prose (written for the tests), for documents built in them
WRAPPED_PARAGRAPHS = [
    "市政府今天召开新闻发布会，介绍今年城市更新工作的进展情况。今年以来，全市共完成老旧小区改造一百二十个，惠及居民三万余户。",
    "据介绍，改造工作坚持居民自愿原则，先后征求意见两千余条，并逐条作出答复。改造内容包括加装电梯、修缮屋顶、整治管线和增设停车位。",
    "在东城区的一个老小区，七十岁的王大爷坐上了新装的电梯。他说，过去上下楼要歇好几回，现在方便多了，儿女来看他也不用再扛着米面爬楼。",
    "市住建局有关负责人表示，改造过程中将加强工程质量监管，聘请第三方机构全程跟踪检查，发现问题及时整改，确保工程经得起时间检验。",
    "与此同时，各街道还组织志愿者上门走访独居老人，登记他们在出行、就医和买菜方面的困难，并联系社区食堂和药店提供送餐送药服务。",
    "下一步，全市将继续推进改造工作，力争年底前再完成八十个小区的改造任务，并探索引入社会资本参与小区长效管理的新路子。",
]


def wrapped_text(convert=lambda text: text, per_line: int = 20) -> str:
    """WRAPPED_PARAGRAPHS as a text export prints them: each indented, cut every `per_line`
    characters (20 Han characters: 40 columns); `convert` rewrites each paragraph first."""
    lines = []
    for paragraph in WRAPPED_PARAGRAPHS:
        paragraph = "\u3000\u3000" + convert(paragraph)
        lines += [paragraph[i : i + per_line] for i in range(0, len(paragraph), per_line)]
    return "\n".join(lines) + "\n"


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def run_cli(*args: str, cwd: Path | None = None):
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "repair", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )
