"""Robustness: score planx on mutated gold documents (lines shuffled, numbering removed,
line breaks removed, script flipped to traditional, widths flipped to full-width) and
compare with the unmutated scores. Gold spans are carried through each mutation by an
offset map; an annotation that a mutation cuts apart is dropped from that run's gold.

    python scripts/mutations.py [--gold gold/dev gold/test]
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.eval.gold import GoldDoc, GoldPlan, GoldSchedule  # noqa: E402
from extractor.eval.run import evaluate, load_all  # noqa: E402
from extractor.eval.score import FIELDS  # noqa: E402
from extractor.numbering import parse_marker  # noqa: E402
from extractor.pipeline import MODES, Settings, corpus_dirs, run  # noqa: E402
from extractor.read import Source  # noqa: E402

Mutation = Callable[[str, random.Random], tuple[str, list[int]]]  # -> (new text, old index -> new index or -1)


def _keep(text: str, drop: set[int]) -> tuple[str, list[int]]:
    out, where, n = [], [], 0
    for i, ch in enumerate(text):
        if i in drop:
            where.append(-1)
        else:
            where.append(n)
            out.append(ch)
            n += 1
    where.append(n)
    return "".join(out), where


def no_breaks(text: str, rng: random.Random) -> tuple[str, list[int]]:
    """Everything run together, as many web pages are ("一、指导思想坚持…二、工作目标1、…")."""
    return _keep(text, {i for i, ch in enumerate(text) if ch in "\r\n"})


def no_numbering(text: str, rng: random.Random) -> tuple[str, list[int]]:
    """The numbering markers at line starts removed."""
    from extractor.normalise import normalise

    norm, drop, pos = normalise(text), set(), 0
    for line in text.split("\n"):
        a = pos + len(line) - len(line.lstrip(" \t\u3000"))
        m = parse_marker(norm, a, pos + len(line))
        if m is not None:
            drop.update(range(m.start, m.end))
        pos += len(line) + 1
    return _keep(text, drop)


def cells_on_lines(text: str, rng: random.Random) -> tuple[str, list[int]]:
    """Every table cell on a line of its own (` | ` and tabs become line breaks), as a browser's
    copy or a PDF's text gives a table."""
    out, drop = list(text), set()
    for m in re.finditer(r" \| |\t", text):
        if m.group() == "\t":
            out[m.start()] = "\n"
        else:
            drop.update((m.start(), m.end() - 1))
            out[m.start() + 1] = "\n"
    return _keep("".join(out), drop)


def cells_spaced(text: str, rng: random.Random) -> tuple[str, list[int]]:
    """A table's cells a single space apart on their row's line (` | ` and tabs become a
    space), as a PDF's text gives a table."""
    out, drop = list(text), set()
    for m in re.finditer(r" \| |\t", text):
        if m.group() == "\t":
            out[m.start()] = " "
        else:
            drop.update((m.start(), m.start() + 1))
    return _keep("".join(out), drop)


def shuffled(text: str, rng: random.Random) -> tuple[str, list[int]]:
    """The lines in a random order."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    order = lines[:]
    rng.shuffle(order)
    where = [-1] * (len(text) + 1)
    out, n = [], 0
    for k, (start, line) in enumerate(order):
        for j in range(len(line) + 1):
            where[start + j] = n + j
        out.append(line)
        n += len(line) + (1 if k + 1 < len(order) else 0)
    return "\n".join(out), where


WRAP_WIDTH = 30
OTHER_WIDTHS = (20, 40)


def _broken(cuts: Callable[[str], set[int]]) -> Mutation:
    """Every line broken before the characters `cuts(line)` names (only line breaks inserted)."""
    def mutate(text: str, rng: random.Random) -> tuple[str, list[int]]:
        out, where, n = [], [], 0
        for k, line in enumerate(text.split("\n")):
            if k:
                out.append("\n")
                where.append(n)  # the old line break
                n += 1
            before = cuts(line)
            for j, ch in enumerate(line):
                if j in before:
                    out.append("\n")
                    n += 1
                out.append(ch)
                where.append(n)
                n += 1
        where.append(n)
        return "".join(out), where
    return mutate


def wrapped_at(width: int) -> Mutation:
    """Every line longer than `width` characters broken every `width` characters, as text
    copied from a PDF viewer is (the line breaks fall inside words and sentences)."""
    return _broken(lambda line: set(range(width, len(line), width)))


hard_wrapped = wrapped_at(WRAP_WIDTH)
VISUAL_WIDTH = 60


def wrapped_visually(width: int) -> Mutation:
    """Every line broken where it would pass `width` columns, a Chinese character or full-width
    sign taking two, as a PDF page's lines are: the count of characters a line holds varies."""
    def cuts(line: str) -> set[int]:
        found, used = set(), 0
        for j, ch in enumerate(line):
            columns = 2 if ord(ch) >= 0x2E80 else 1
            if j and used + columns > width:
                found.add(j)
                used = 0
            used += columns
        return found
    return _broken(cuts)


# A school site's chrome as other sites than the corpus's save it: a menu that names the school's
# offices, a breadcrumb, and a footer of neighbouring articles and contacts. The offices are
# the harm: a menu or an article list read as part of the plan charges them all.
_OFFICES = ("教务处", "德育处", "总务处", "教科室", "校长室", "团委", "工会", "办公室", "教研组", "年级组")
_HEADERS = (
    lambda o: "网站首页 | 学校概况 | " + " | ".join(o) + " | 校长信箱 | 联系我们",
    lambda o: "\n".join(["首页", "学校概况", *o, "党建工作", "校长信箱"]),
    lambda o: f"首页\n学校概况\n{o[0]}\n{o[1]}\n{o[2]}\n联系我们\n当前位置：首页 > {o[0]} > 工作计划",
    lambda o: f"您现在的位置：网站首页 >> {o[0]} >> 工作计划\n文章来源：{o[1]}  发布时间：2024-03-01  浏览次数：235",
)
_FOOTERS = (
    lambda o: f"上一篇：{o[1]}2023学年第一学期工作总结\n下一篇：{o[2]}关于暑期校舍维修的通知\n【打印本页】【关闭窗口】",
    lambda o: f"相关文章\n{o[0]}关于期中考试安排的通知\n{o[3]}2024年课题申报工作通知\n{o[4]}举行教职工运动会",
    lambda o: "版权所有：某某市第一中学  地址：某某市人民路1号  电话：0571-12345678\n"
              + " | ".join(["首页", *o[:5], "联系我们"]),
    lambda o: f"分享到：微信 微博 QQ空间\n热门文章\n2023学年{o[0]}工作计划\n2024年{o[1]}工作要点\n{o[2]}校本研修实施方案\n"
              "主办单位：某某市第一中学  技术支持：某某科技有限公司\n扫一扫在手机打开当前页",
    lambda o: "展开全文\n下载文档\n温馨提示：当前文档最多只能预览5页，若文档总页数超出了5页，请下载原文档以浏览全部内容。\n"
              "本文来源：网络整理  版权归原作者所有，如有侵权请联系删除。\n关注微信公众号\n长按识别二维码\n赞  在看",
    lambda o: f"（完）\n供稿：{o[0]}  审核：王校长  编辑：李老师\n阅读 1024  赞 12\n附件：\n1.教师研修登记表\n2.听课记录表",
)


def site_chrome(text: str, rng: random.Random) -> tuple[str, list[int]]:
    """A site's menu and breadcrumb above the text, its neighbouring articles and footer below
    (only lines inserted)."""
    offices = list(_OFFICES)
    rng.shuffle(offices)
    head = rng.choice(_HEADERS)(offices) + "\n"
    foot = "\n" + rng.choice(_FOOTERS)(offices)
    return head + text + foot, [i + len(head) for i in range(len(text) + 1)]


def _per_char(table: Callable[[str], str]) -> Mutation:
    def mutate(text: str, rng: random.Random) -> tuple[str, list[int]]:
        out = "".join(c2 if len(c2 := table(ch)) == 1 else ch for ch in text)
        return out, list(range(len(text) + 1))
    return mutate


def _s2t(ch: str) -> str:
    import opencc

    global _S2T
    if "_S2T" not in globals():
        _S2T = opencc.OpenCC("s2t.json")
    return _S2T.convert(ch)


def _full_width(ch: str) -> str:
    o = ord(ch)
    if 0x21 <= o <= 0x7E:
        return chr(o + 0xFEE0)
    if ch == " ":
        return "\u3000"
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0)
    return ch


MUTATIONS: dict[str, Mutation] = {
    "line breaks removed": no_breaks,
    f"hard-wrapped at {WRAP_WIDTH}": hard_wrapped,
    **{f"hard-wrapped at {w}": wrapped_at(w) for w in OTHER_WIDTHS},  # PDF viewers wrap at 20–40
    f"wrapped at {VISUAL_WIDTH} columns": wrapped_visually(VISUAL_WIDTH),
    "numbering removed": no_numbering,
    "table cells one per line": cells_on_lines,
    "table cells a space apart": cells_spaced,
    "site menus and footers added": site_chrome,
    "lines shuffled": shuffled,
    "script flipped (s2t)": _per_char(_s2t),
    "width flipped": _per_char(_full_width),
}


# mutations that only insert characters
INSERTING = {*(f"hard-wrapped at {w}" for w in (WRAP_WIDTH, *OTHER_WIDTHS)), f"wrapped at {VISUAL_WIDTH} columns",
             "site menus and footers added"}


def _map(span: tuple[int, int] | None, where: list[int], inserts: bool = False) -> tuple[int, int] | None:
    if span is None:
        return None
    a, b = span
    if inserts:  # a span keeps its ends; the line breaks put inside it are part of it now
        return where[a], where[b - 1] + 1
    inner = [where[i] for i in range(a, b) if where[i] >= 0]
    if not inner or inner[-1] - inner[0] != len(inner) - 1:
        return None  # the mutation cut it apart
    return inner[0], inner[-1] + 1


def mutate_gold(g: GoldDoc, text: str, where: list[int], inserts: bool = False) -> GoldDoc:
    def m(span):
        return _map(span, where, inserts)

    plans = []
    for p in g.plans:
        ext = m(p.extent) or (0, len(text))
        plans.append(GoldPlan(
            extent=ext, title=m(p.title), meta=p.meta,
            sections=[(s, lvl, role) for sp, lvl, role in p.sections if (s := m(sp))],
            goals=[s for sp in p.goals if (s := m(sp))],
            measures=[s for sp in p.measures if (s := m(sp))],
            schedule=[GoldSchedule(m(x.when), m(x.activity), x.month, x.weekday, x.frequency)
                      for x in p.schedule if m(x.activity or x.when)],
            parties=p.parties))
    return replace(g, text=text, plans=plans)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", nargs="+", default=["gold/dev", "gold/test"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--mode", default="rules", choices=sorted(MODES), help="the pipeline mode to score")
    ap.add_argument("--only", nargs="+", default=None, help="mutations to run (names as printed)")
    args = ap.parse_args()
    settings = Settings(stages=MODES[args.mode])
    golds = []
    for folder in args.gold:
        docs, _problems = load_all(Path(folder), corpus_dirs())
        golds.extend(docs)
    rows = {}
    base = evaluate(golds, lambda g: run(Source.from_text(g.text), settings), "original")
    rows["original"] = base
    for name, mutation in MUTATIONS.items():
        if args.only and name not in args.only:
            continue
        rng = random.Random(args.seed)
        mutated = []
        for g in golds:
            text, where = mutation(g.text, rng)
            mutated.append(mutate_gold(g, text, where, name in INSERTING))
        rows[name] = evaluate(mutated, lambda g: run(Source.from_text(g.text), settings), name)
    print(f"{len(golds)} gold documents ({', '.join(args.gold)}), mode {args.mode}; soft F1 per field")
    print("| mutation | " + " | ".join(FIELDS) + " |")
    print("|---|" + "---|" * len(FIELDS))
    for name, ev in rows.items():
        print(f"| {name} | " + " | ".join(f"{ev.total.soft[f].f1:.3f}" for f in FIELDS) + " |")


if __name__ == "__main__":
    main()
