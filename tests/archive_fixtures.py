"""Inputs the archive tests generate: 政协-style reports written for the tests, a .docx with
real Word list numbering, an HTML page with navigation around the report, a minimal PDF.

Every text here was written for zhdoc's tests; nothing is copied from real publications.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

PLACES = [
    "湖塘镇",
    "牛塘镇",
    "洛阳镇",
    "遥观镇",
    "横林镇",
    "雪堰镇",
    "前黄镇",
    "礼嘉镇",
    "嘉泽镇",
    "南夏墅街道",
]
STUDIO_NAMES = ["同心", "连心", "聚力", "履职为民", "有事好商量", "民生", "暖心", "众联"]
TOPICS = ["乡村振兴", "营商环境", "养老服务", "生态环境", "智能制造", "文旅融合", "社区治理", "教育优质均衡"]


def make_report(seed: int) -> str:
    """A small but complete 常委会工作报告 with numbered sections and the usual counts."""
    rng = random.Random(seed)
    year = 2015 + seed % 10
    term = ["十三", "十四", "十五"][seed % 3]
    session = ["二", "三", "四", "五"][seed % 4]
    place = rng.choice(PLACES)
    studio = f"{place}“{rng.choice(STUDIO_NAMES)}”委员工作室"
    topic_a, topic_b = rng.sample(TOPICS, 2)
    n = [rng.randint(2, 400) for _ in range(12)]
    return f"""政协示范区第{term}届委员会常务委员会工作报告
——在政协示范区第{term}届委员会第{session}次会议上
（{year + 1}年1月{rng.randint(5, 28)}日）
王文明

各位委员：
现在，我代表政协示范区第{term}届委员会常务委员会，向大会报告工作，请予审议。

一、{year}年工作回顾
{year}年，区政协在区委的坚强领导下，紧扣中心、服务大局，各项工作取得新成效。
（一）坚持政治引领，筑牢团结奋斗的思想根基
全年召开党组会议{n[0]}次，常委会集体学习{n[1]}次，组织委员专题培训{n[2]}人次。
（二）聚焦{topic_a}，深入协商议政
1.开展专题协商。围绕{topic_a}组织专题协商会{n[3]}次，形成协商成果{n[4]}项。
2.做好提案工作。全年共收到提案{n[5]}件，经审查立案{n[6]}件，办复率100%。
（三）强化委员服务，推动履职下沉
依托{place}党群服务中心新建{studio}，全年依托委员工作室开展活动{n[7]}场，收集社情民意{n[8]}条。
区政协办公室、区委统战部联合开展委员述职，{n[9]}名委员参加。

二、{year + 1}年主要任务
{year + 1}年是“十四五”规划收官之年。区政协将围绕{topic_b}，继续办好{n[10]}个重点提案，
推动委员工作室提质增效，力争新增委员工作室{n[11] % 9 + 1}个。

各位委员，让我们更加紧密地团结在一起，为建设现代化示范区作出新的更大贡献！
"""


# ---------------------------------------------------------------- docx


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def build_numbered_docx(path: Path, extra: str = "") -> list[str]:
    """A .docx whose section numbers exist only as Word list numbering.

    Level 0 is chineseCounting "%1、", level 1 chineseCounting "（%1）", level 2 decimal "%3.".
    Returns the paragraphs as Word displays them.
    """
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{_W_NS}" w:abstractNumId="90">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%3."/><w:suff w:val="nothing"/></w:lvl>'
        "</w:abstractNum>"
    )
    num = parse_xml(f'<w:num xmlns:w="{_W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find(f"{{{_W_NS}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)  # the schema wants every abstractNum before any num
    else:
        numbering.append(abstract)
    numbering.append(num)

    shown: list[str] = []

    def para(text: str, level: int | None = None, marker: str = "") -> None:
        p = document.add_paragraph(text)
        if level is not None:
            ppr = p._p.get_or_add_pPr()
            ppr.append(
                parse_xml(
                    f'<w:numPr xmlns:w="{_W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
                )
            )
        shown.append(marker + text)

    para("政协示范区常务委员会工作报告")
    para("各位委员：")
    para("过去一年的主要工作", 0, "一、")
    para("坚持政治引领", 1, "（一）")
    para("全年召开常委会会议4次，主席会议12次。")
    para("聚焦中心大局", 1, "（二）")
    para("开展专题协商", 2, "1.")
    para("围绕乡村振兴组织协商3次。")
    para("做好提案工作", 2, "2.")
    para("强化委员服务", 1, "（三）")
    para("在湖塘镇新建“同心”委员工作室。")
    para("今年的主要任务", 0, "二、")
    para("深化协商议政", 1, "（一）")
    for i in range(3, 13):  # run level 0 up to 十二、 to check 十 and 十一
        para(f"第{i}项工作", 0, _cn(i) + "、")
    if extra:
        para(extra)
    document.save(str(path))
    return shown


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


# ---------------------------------------------------------------- html


def html_page(report: str, charset: str = "utf-8") -> str:
    """A government-site page: header, menu, sidebar of links, the report, footer, scripts."""
    paragraphs = "\n".join(f"<p>　　{line}</p>" for line in report.splitlines()[1:] if line.strip())
    title = report.splitlines()[0]
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_示范区政协网</title>
<style>.nav li {{ float: left; }}</style>
<script>var menu = ["首页", "政协要闻", "一、不要出现在正文"];</script></head>
<body>
<div class="top"><a href="/">首页</a> | <a href="/yw">政协要闻</a> | <a href="/lz">履职动态</a></div>
<div class="nav"><ul><li><a href="/jg">机构设置</a></li><li><a href="/wy">委员风采</a></li>
<li><a href="/ta">提案工作</a></li><li><a href="/ws">委员工作室</a></li></ul></div>
<div class="wrap">
 <div class="side"><h3>相关文章</h3><ul>
  <li><a href="/1">区政协召开主席会议，研究部署年度重点工作，推动委员工作室建设</a></li>
  <li><a href="/2">关于召开区政协全体会议的通知，请各位委员准时参加会议</a></li></ul></div>
 <div class="content">
  <h1 class="title">{title}</h1>
  <div class="info">发布时间：2025-01-10　来源：区政协办公室</div>
  <div id="zoom">
{paragraphs}
  </div>
  <div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
 </div>
</div>
<div class="footer"><p>版权所有：示范区政协办公室　地址：示范路1号　备案号：苏ICP备00000000号</p></div>
<script>document.write("统计");</script>
</body></html>
"""


# ---------------------------------------------------------------- pdf


def minimal_pdf(pages: list[str]) -> bytes:
    """A valid PDF whose text layer holds ``pages`` (Chinese included).

    The font is a Type0 font with Identity-H encoding and a ToUnicode CMap that maps each
    2-byte code to the same Unicode code point, which is all text extraction needs; no
    glyphs are embedded (a viewer would substitute a font).
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    highs = sorted({ord(c) >> 8 for text in pages for c in text if ord(c) < 0x10000})
    ranges = "".join(f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>\n" for h in highs)
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{len(highs)} beginbfrange\n{ranges}endbfrange\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")
    catalog = add(b"")  # filled in below, once the page tree number is known
    pages_obj = add(b"")
    tounicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    descendant = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ZhdocTest /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>"
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ZhdocTest /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (descendant, tounicode)
    )
    kids = []
    for text in pages:
        ops = [b"BT", b"/F1 12 Tf", b"14 TL", b"50 780 Td"]
        for line in text.split("\n"):
            ops.append(b"<" + line.encode("utf-16-be").hex().upper().encode() + b"> Tj T*")
        ops.append(b"ET")
        content = zlib.compress(b"\n".join(ops))
        stream = add(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream"
        )
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_obj, font, stream)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


def crash_on_three(x: int) -> int:
    """A worker function that kills its process for one input (for the pool's crash handling)."""
    import os

    if x == 3:
        os._exit(7)
    return x * 2


def hang_on_three(x: int) -> int:
    """A worker function that never returns for one input (for the pool's timeout)."""
    import time

    if x == 3:
        time.sleep(3600)
    return x * 2
