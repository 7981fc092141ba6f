"""HTML → text blocks: furniture removed, article paragraphs whole and in order."""

from __future__ import annotations

import pytest

from conftest import run_cli
from repair.errors import InputError
from repair.html_input import html_to_text
from repair.pipeline import repair_text
from repair.reading import read_document

# Xinhua, 2019-12-09 (corpus clean/040; the full page is corpus web/003).
TITLE = "法国全国大罢工再次严重影响交通"
PARAGRAPHS = [
    "新华社巴黎12月9日电（记者唐霁）法国9日再次爆发全国跨行业大罢工，反对政府进行退休制度改革，首都巴黎交通几乎完全瘫痪，其他多个城市交通也受到影响。",
    "9日的罢工是继5日80万多人参与的全国跨行业大罢工后，工会发起的第二轮向政府施压行动。当天大巴黎地区交通几乎完全瘫痪。巴黎大众运输公司说，全巴黎16条地铁线路有10条停运，公交车发车频次仅为平日的一半。据法国交管部门统计，9日上午大巴黎地区交通堵塞造成的车流长达创纪录的631公里。法国国家铁路公司宣布，9日、10日两天全国铁路仅能保证15%至20%的运力。",
    "法国各工会号召10日继续举行全国跨行业大罢工及游行，预计交通、教育等多个行业都将受到影响。法国航空公司表示，10日将取消四分之一的国内航班。法国国家铁路公司表示，全国高铁只能保证五分之一运力。多个城市的学校和幼儿园发出10日停课通知。",
    "法国总工会负责人表示，大罢工将是“无限期”的，直到政府彻底取消退休制度改革计划为止。但法国总理菲利普8日在接受法国《星期日报》采访时表示，不管面对何种压力，他都会将法国总统马克龙提出的退休制度积分制计划推行到底。",
    "法国总统马克龙此前提出对全国退休制度进行改革，目标是逐步将目前法国各行业的42种退休制度合并成一个统一方案。总理菲利普将于11日宣布退休制度改革的总体架构。",
]

# United Daily News, Taiwan (corpus clean/053), Traditional script.
UDN_TITLE = "血濺桃機 他把老婆丟下樓再跳樓"
UDN_CAPTION = "陸裔美籍萬姓男子昨天傍晚被航警局移送桃園地檢署後聲押。 記者陳嘉寧／翻攝"
UDN_PARAGRAPHS = [
    "萬姓男子昨天凌晨準備搭機飛往美國前，與張姓妻子在桃園機場第二航廈出境大廳三、四樓樓梯間爭吵，萬涉嫌在盛怒下正面擒抱妻子丟下樓，自己再隨之跳樓，墜地時壓在妻子身上，雙雙送醫。張女重傷昏迷，萬肋骨骨折，警方昨天下午將萬押回偵詢，依殺人未遂罪嫌送辦，檢方聲押。",
    "樓梯吵架 抱起妻往下拋",
    "航警調查，卅二歲萬姓男子為陸裔美籍，卅三歲妻子是擁有加拿大國籍的台灣人；十七日深夜，萬疑似因故負氣準備搭機前往美國，張女趕到機場攔阻時發生爭吵，引發這場墜樓事件，不過詳細原因警方還在調查。",
    "目擊者指出，昨天凌晨零時卅五分，萬與張女站在第二航廈出境大廳管制區外南側四樓往三樓樓梯迴轉處爭吵，沒多久就聽到女子尖叫。",
]

JUNK = ["首页", "客户端", "搜索", "新华网 正文", "分享到", "微信", "微博", "Qzone", "请登录", "新闻评论", "加载更多",
        "热帖", "楼市会有哪些新变化", "热词", "版权所有", "京ICP备", "公网安备", "var _hmt", "color:", "请启用JavaScript",
        "返回顶部", "相关新闻"]


def xinhua_page() -> str:
    paragraphs = "\n".join(f"<p>\n        {p}\n      </p>" for p in PARAGRAPHS[:3])
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>{TITLE}-新华网</title>
  <style>.main {{ color: #333; }} p {{ text-indent: 2em; }}</style>
  <script>var _hmt = _hmt || []; document.write("<p>写入</p>");</script>
</head>
<body>
  <!-- 顶部导航 -->
  <header class="top">
    <a href="/"><img src="/logo.png" alt="logo"></a>
    <nav><ul><li><a href="/">首页</a></li><li><a href="/app">客户端</a></li><li><a href="/s">搜索</a></li></ul></nav>
  </header>
  <div class="breadcrumb"><a href="/">新华网</a> &gt; 新华网 正文</div>
  <div id="loginBar" class="login">请登录后发表评论</div>
  <main>
    <article class="article">
      <h1>{TITLE}</h1>
      <p class="info">2019-12-10 07:57:40　来源：<a href="#">新华网</a></p>
      <div class="bdsharebuttonbox"><span>分享到：</span><a class="bds_weixin">微信</a><a>微博</a><a>Qzone</a></div>
      {paragraphs}
      <figure>
        <img src="/photos/2019-12/strike_0912.jpg" alt="巴黎地铁站因罢工关闭">
        <figcaption>12月9日，法国巴黎，一处地铁站因罢工关闭。</figcaption>
      </figure>
      <p>{PARAGRAPHS[3]}<br>{PARAGRAPHS[4]}</p>
      <noscript>请启用JavaScript</noscript>
      <div class="share-bottom"><a>分享到</a><button>微信</button></div>
      <p class="editor">【纠错】 责任编辑： 尹世杰</p>
    </article>
    <div id="comments" class="comment-box"><h3>新闻评论</h3><ul><li>网友甲：支持</li></ul><a>加载更多</a></div>
    <div class="related-news"><h3>相关新闻</h3><ul><li><a>法国罢工进入第五天</a></li></ul></div>
  </main>
  <aside class="sidebar">
    <h3>热帖</h3>
    <ul><li><a>2018年，楼市会有哪些新变化？</a> <span>2018-03-01 09:01:20</span></li></ul>
    <h3>热词</h3><p>手机软件指纹反腐倡廉空气质量</p>
  </aside>
  <footer>
    <p>新华社简介 | 联系我们 | 版权所有 新华网 京ICP备12345678号 京公网安备11010202000001号</p>
    <a href="#top">返回顶部</a>
  </footer>
  <script src="/stats.js"></script>
  <script>_hmt.push(['_trackPageview']);</script>
</body>
</html>
"""


def blocks(html: str) -> list[str]:
    text = html_to_text(html)
    assert "\n\n\n" not in text
    return text.split("\n\n") if text else []


# ---------------------------------------------------------------- a full news page


def test_news_page_keeps_the_article_whole_and_in_order() -> None:
    result = blocks(xinhua_page())
    assert result == [
        f"# {TITLE}",
        "2019-12-10 07:57:40　来源：新华网",
        *PARAGRAPHS[:3],
        "巴黎地铁站因罢工关闭",
        "12月9日，法国巴黎，一处地铁站因罢工关闭。",
        *PARAGRAPHS[3:],
        "【纠错】 责任编辑： 尹世杰",
    ]


def test_news_page_furniture_is_gone() -> None:
    text = html_to_text(xinhua_page())
    for junk in JUNK:
        assert junk not in text, junk


def test_page_without_article_container() -> None:
    page = xinhua_page().replace("<main>", "<div>").replace("</main>", "</div>")
    page = page.replace("<article", "<div").replace("</article>", "</div>")
    result = blocks(page)
    assert result[0] == f"# {TITLE}"
    assert [b for b in result if b in PARAGRAPHS] == PARAGRAPHS
    for junk in JUNK:
        assert junk not in "\n".join(result), junk


def legacy_udn_page() -> str:
    """Table layout, no semantic tags, paragraphs separated by <br>, Big5."""
    body = "<br><br>\n".join(UDN_PARAGRAPHS)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5">
<title>udn</title></head>
<body bgcolor="#ffffff">
<table width="960"><tr>
 <td class="menu" width="160"><a>要聞</a><br><a>社會</a><br><a>地方</a></td>
 <td class="story">
   <div class="story_title">{UDN_TITLE}</div>
   <table><tr><td><img src="/upload/2018/20180219_12345.jpg" alt="20180219_12345.jpg"></td></tr>
   <tr><td class="photo_caption">{UDN_CAPTION}</td></tr></table>
   {body}
 </td>
 <td class="ad" width="300">廣告 訂閱聯合報</td>
</tr></table>
<div id="footer">聯合新聞網 版權所有 &copy; udn.com</div>
</body></html>
"""


def test_legacy_table_page() -> None:
    assert blocks(legacy_udn_page()) == [UDN_TITLE, UDN_CAPTION, *UDN_PARAGRAPHS]


def test_legacy_big5_page_from_disk(tmp_path) -> None:
    path = tmp_path / "udn.htm"
    path.write_bytes(legacy_udn_page().encode("big5"))
    assert read_document(path).split("\n\n") == [UDN_TITLE, UDN_CAPTION, *UDN_PARAGRAPHS]


def test_xinhua_page_from_disk_in_gbk(tmp_path) -> None:
    path = tmp_path / "xinhua.html"
    page = xinhua_page().replace('charset="utf-8"', 'charset="gb2312"')
    path.write_bytes(page.encode("gbk"))
    assert read_document(path) == html_to_text(xinhua_page())


# ---------------------------------------------------------------- choosing the container


def test_article_container_is_preferred() -> None:
    page = f"""<body><div class="topic">专题：法国罢工</div>
    <article><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</article>
    <div class="hot"><a>热点一</a><a>热点二</a></div></body>"""
    assert blocks(page) == [f"# {TITLE}", *PARAGRAPHS]


def test_small_container_falls_back_to_body() -> None:
    page = f"""<body><h1>{TITLE}</h1>
    <div class="content">{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</div>
    <article class="teaser"><p>法国罢工进入第五天</p></article></body>"""
    assert blocks(page) == [f"# {TITLE}", *PARAGRAPHS, "法国罢工进入第五天"]


def test_role_main_and_main() -> None:
    for opening, closing in (('<div role="main">', "</div>"), ("<main>", "</main>")):
        page = f"""<body><div class="links">链接一 链接二</div>{opening}{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}{closing}</body>"""
        assert blocks(page) == PARAGRAPHS


def test_title_just_before_the_container_is_kept() -> None:
    page = f"""<body><div class="links">链接一</div><h1>{TITLE}</h1><p>图片新闻</p>
    <article>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</article></body>"""
    assert blocks(page) == [f"# {TITLE}", *PARAGRAPHS]


def test_header_inside_article_is_content() -> None:
    page = f"""<body><header><a>网站首页</a></header>
    <article><header><h1>{TITLE}</h1><p>记者 唐霁</p></header>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}
    <footer>分享到微博</footer></article></body>"""
    assert blocks(page) == [f"# {TITLE}", "记者 唐霁", *PARAGRAPHS]


def test_aspnet_form_wrapping_the_page_is_kept() -> None:
    page = f"""<body><form id="form1" method="post" action="./news.aspx">
    <div class="title">{TITLE}</div>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}
    <form class="search"><input name="q"><button>搜索</button><span>站内搜索</span></form>
    </form></body>"""
    assert blocks(page) == [TITLE, *PARAGRAPHS]


def test_marker_class_on_a_wrapper_does_not_remove_the_article() -> None:
    page = f"""<body><div class="layout has-sidebar"><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}
    <div class="sidebar">侧栏</div></div></body>"""
    assert blocks(page) == [f"# {TITLE}", *PARAGRAPHS]


@pytest.mark.parametrize(
    "furniture",
    ['<div id="comment_list">评论内容</div>', '<div class="shareBox">分享</div>', '<ul class="crumbs"><li>位置</li></ul>',
     '<div class="recommend-list">推荐阅读</div>', '<div id="relatedNews">相关阅读</div>', '<div class="side-bar">侧栏</div>',
     '<div class="footer">底部</div>', '<div class="main-nav">导航</div>', '<div role="navigation">导航</div>',
     '<div style="display: none">隐藏</div>', '<div hidden>隐藏</div>', '<div class="loginBox">登录</div>',
     '<iframe src="/ad">广告</iframe>', '<svg><text>图形</text></svg>', '<template><p>模板</p></template>',
     '<form><label>邮箱</label></form>'],
)
def test_furniture_is_dropped(furniture: str) -> None:
    page = f"<body><div><p>{PARAGRAPHS[0]}</p>{furniture}<p>{PARAGRAPHS[1]}</p></div></body>"
    assert blocks(page) == PARAGRAPHS[:2]


@pytest.mark.parametrize("names", ["content", "article-body", "shared-content-x", "commentary", "navigator", "footnote"])
def test_class_names_that_merely_contain_a_marker_are_kept(names: str) -> None:
    page = f'<body><p>{PARAGRAPHS[0]}</p><div class="{names}">正文继续</div></body>'
    assert blocks(page) == [PARAGRAPHS[0], "正文继续"]


# ---------------------------------------------------------------- blocks


def test_headings() -> None:
    page = "<h1>一级标题</h1><h2>二级标题</h2><h3>三级</h3><h6>六级</h6><p>正文</p>"
    assert blocks(page) == ["# 一级标题", "## 二级标题", "## 三级", "## 六级", "正文"]


def test_br_lines_become_blocks() -> None:
    page = "<p>第一行<br>第二行<br/><br/>第三行<br></p>"
    assert blocks(page) == ["第一行", "第二行", "第三行"]


def test_nested_blocks_are_not_duplicated() -> None:
    page = """<div>导语文字<div><p>段落一</p><ul><li><p>条目一</p></li><li>条目<b>二</b></li></ul></div>
    尾随文字<blockquote><p>引文</p></blockquote></div>"""
    assert blocks(page) == ["导语文字", "段落一", "- 条目一", "- 条目二", "尾随文字", "引文"]


def test_list_items_keep_their_markers() -> None:
    page = """<p>导语</p><ol><li>第一项</li><li>第二项<ul><li>小项</li></ul></li><li>第三项</li></ol>
    <ul><li><a href="#">链接条目</a></li></ul><li>无列表的条目</li>"""
    assert blocks(page) == ["导语", "1. 第一项", "2. 第二项", "- 小项", "3. 第三项", "- 链接条目", "无列表的条目"]


def test_an_empty_list_item_marks_nothing_after_it() -> None:
    assert blocks("<ul><li></li><li><img src='a.png'></li></ul><p>正文段落</p>") == ["正文段落"]


def test_inline_elements_do_not_split_a_paragraph() -> None:
    page = '<p>法国<a href="#">总统</a><strong>马克龙</strong><span>此前</span><em>提出</em><script>x()</script>改革。</p>'
    assert blocks(page) == ["法国总统马克龙此前提出改革。"]


def test_a_data_table_becomes_a_markdown_table() -> None:
    page = "<table><tr><th>城市</th><th>停运</th></tr><tr><td>巴黎</td><td>10条</td></tr><tr><td>里昂|马赛</td><td>2条</td></tr></table>"
    assert blocks(page) == ["| 城市 | 停运 |\n| --- | --- |\n| 巴黎 | 10条 |\n| 里昂\\|马赛 | 2条 |"]


def test_a_layout_table_gives_its_cells_as_blocks() -> None:
    story = "法国各工会号召10日继续举行全国跨行业大罢工及游行，" * 5  # a paragraph, not a cell of data
    page = f"<table><tr><td>要聞</td><td>{story}</td></tr><tr><td>社會</td><td>地方</td></tr></table>"
    assert blocks(page) == ["要聞", story, "社會", "地方"]


def test_a_table_among_paragraphs_is_published_whole_in_place() -> None:
    page = (
        "<article><h1>甲县公布道路建设情况</h1><p>甲县今年新修道路五十公里，具体情况如下。</p>"
        "<table><tr><th>项目</th><th>数量</th></tr><tr><td>道路</td><td>50公里</td></tr><tr><td>桥梁</td><td>10座</td></tr></table>"
        "<p>甲县还将继续完善农村公路网络。</p></article>"
    )
    [article] = repair_text(html_to_text(page), "table").articles
    assert article.markdown.endswith(
        "甲县今年新修道路五十公里，具体情况如下。\n\n| 项目 | 数量 |\n| --- | --- |\n| 道路 | 50公里 |\n| 桥梁 | 10座 |\n\n"
        "甲县还将继续完善农村公路网络。\n"
    )


def test_dropped_block_between_texts_still_separates_them() -> None:
    assert blocks("<div>前文<nav>导航</nav>后文</div>") == ["前文", "后文"]


@pytest.mark.parametrize(
    ("alt", "kept"),
    [("巴黎地铁站因罢工关闭", True), ("Paris metro closed", True), ("图片", False), ("logo", False),
     ("IMG_2034", False), ("strike_0912.JPG", False), ("/upload/a.png", False), ("d41d8cd98f00b204", False),
     ("[微笑]", False), ("   ", False), ("罢工", False)],
)
def test_image_alt(alt: str, kept: bool) -> None:
    result = blocks(f'<p>前文</p><img src="x.jpg" alt="{alt}"><p>后文</p>')
    assert result == (["前文", alt, "后文"] if kept else ["前文", "后文"])


def test_alt_repeating_the_caption_is_dropped() -> None:
    page = '<figure><img alt="巴黎地铁站因罢工关闭"><figcaption>图为巴黎地铁站因罢工关闭。新华社发</figcaption></figure>'
    assert blocks(page) == ["图为巴黎地铁站因罢工关闭。新华社发"]


def test_whitespace() -> None:
    page = "<p>  法国  9日\n\t再次爆发\n   大罢工，\nFrance  strike\n  </p><p>巴黎\r\n交通</p>"
    # A line break between two Chinese characters is source formatting, not a space.
    assert blocks(page) == ["法国 9日再次爆发大罢工， France strike", "巴黎交通"]


def test_no_break_and_ideographic_spaces_are_left_for_later_rules() -> None:
    assert blocks("<p>&nbsp;&nbsp;第一段</p><p>\u3000\u3000第二段</p><p>&nbsp;</p><p>\u200b</p>") == [
        "\u00a0\u00a0第一段", "\u3000\u3000第二段"]


def test_comments_and_processing_instructions() -> None:
    assert blocks("<p>前<!-- 注释 -->后</p><?php echo 1; ?><!--[if IE]><p>旧浏览器</p><![endif]-->") == ["前后"]


# ---------------------------------------------------------------- robustness


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<html><head><title>只有标题</title></head></html>",
                                  "<script>only()</script>", "<frameset><frame src='a.html'></frameset>"])
def test_pages_without_text(html: str) -> None:
    assert html_to_text(html) == ""


def test_broken_markup() -> None:
    page = "<body><div><p>第一段<p>第二段<div>第三段</span></b><li>条目</ul><p>末段"
    assert blocks(page) == ["第一段", "第二段", "第三段", "条目", "末段"]


def test_xml_declaration_and_control_characters() -> None:
    page = '<?xml version="1.0" encoding="gb2312"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>正\x00文\x07内容</p></body></html>'
    assert blocks(page) == ["正文内容"]


def test_word_html_namespaced_tags() -> None:
    page = '<p class="MsoNormal"><span lang="EN-US">2020</span>年<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
    assert blocks(page) == ["2020年"]


def test_plain_text_fragment() -> None:
    assert html_to_text("只是一段文字") == "只是一段文字"


def test_deeply_nested_page() -> None:
    page = "<p>前文</p>" + "<div>" * 1500 + "<p>深处的段落</p>" + "</div>" * 1500 + "<p>后文</p>"
    assert blocks(page) == ["前文", "深处的段落", "后文"]


def test_unclosed_font_tags_on_every_paragraph() -> None:
    paragraphs = [f"第{i}段：{PARAGRAPHS[i % len(PARAGRAPHS)]}" for i in range(3000)]
    page = "<body>" + "".join(f'<font face="宋体"><p>{p}' for p in paragraphs) + "</body>"
    assert blocks(page) == paragraphs


def test_nesting_beyond_the_parser_limit_is_an_error_not_silent_loss() -> None:
    with pytest.raises(InputError, match="nested too deeply"):
        html_to_text("<div>" * 5000 + "<p>深处的段落</p>" + "</div>" * 5000)


def test_long_line_and_long_whitespace_runs() -> None:
    line = "法国罢工" * 250_000
    assert html_to_text(f"<p>{line}</p>") == line
    assert html_to_text("<p>法" + "\n" * 1_000_000 + "国</p>") == "法国"
    assert html_to_text("<p>法" + " \n" * 500_000 + "x</p>") == "法 x"


def test_many_paragraphs_stay_in_order() -> None:
    paragraphs = [f"第{i}段：{PARAGRAPHS[i % len(PARAGRAPHS)]}" for i in range(3000)]
    page = "<body><article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body>"
    assert blocks(page) == paragraphs


# A page that marks one section heading with <h2> and the others with a paragraph in bold. The
# text read from it keeps no bold, so its plain short lines are headings still; the same lines in
# a Markdown text that marks its headings with ## are the heads of paragraphs cut at a break.
_MIXED_HEADINGS = """<html><body><article>
<h1>甲县出台优化营商环境新规</h1>
<p>甲县日前出台优化营商环境的新规，明年起施行。新规共有六章，涵盖市场准入、政务服务和监管执法等方面内容。</p>
<h2>一、新规的主要内容</h2>
<p>新规共有六章，涵盖市场准入、政务服务和监管执法。县长在发布会上逐条作了解读，并回答了记者提问。</p>
<p><strong>企业开办一天办结</strong></p>
<p>新规明确，企业开办全流程一天内办结，不再要求企业提交重复材料，办事群众普遍反映方便了许多。</p>
</article></body></html>"""


def test_bold_headings_of_a_page_stay_headings_beside_marked_ones(tmp_path) -> None:
    page = tmp_path / "page.html"
    page.write_text(_MIXED_HEADINGS, encoding="utf-8")
    text = tmp_path / "page.md"
    text.write_text(read_document(page), encoding="utf-8")
    for source in (page, text):
        done = run_cli("fix", "-q", "-o", str(tmp_path / source.suffix[1:]), str(source))
        assert done.returncode == 0, done.stderr
    from_page = (tmp_path / "html" / "page.md").read_text(encoding="utf-8")
    from_text = (tmp_path / "md" / "page.md").read_text(encoding="utf-8")
    assert "\n## 企业开办一天办结\n" in from_page
    assert "企业开办一天办结新规明确" in from_text
