"""The cheap pre-tests in front of slow regexes (extractor/literals.py) leave every result as
it was: what a pattern needs is read soundly from its parse, and each stage that uses them
finds what a plain search finds."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import debris, meta, practices, segment, split, tagging, targets, timex
from extractor.doc import Doc, ItemDraft, PlanDraft
from extractor.lexicon import PINYIN_LETTERS, compact, compact_with_offsets, lexicon, terms_in, trie_pattern
from extractor.literals import anchored, finite_language, guard, needs, required_literals, scans_by_prefix
from extractor.read import Source

WORDS = ["集体备课", "听", "课", "评课", "课题研究", "专题研究", "阅读", "书", "，", "。", "工作计划", "怎么写", "写计划",
         "2021-09-01 发布", "本站", "内容", "上传", "精选7篇", "篇", "【", "】", "摘要", "参考文献", "[1]", ">>",
         "教(jiào)导(dǎo)处", "(", ")", "a", "教研", "研讨", "沙龙", "师徒", "结对", "作业", "班主任", "x"]
TEXT = st.lists(st.sampled_from(WORDS), max_size=40).map("".join)


def test_required_literals():
    assert required_literals(r"研讨|沙龙") == ("沙龙", "研讨")
    assert required_literals(r"阅读[^,，]{0,4}(?:书|专著)") == ("阅读",)
    assert required_literals(r"(计划|方案)(应该)?怎么写|写计划") == ("写计划", "怎么写")
    assert required_literals(r"\d{4}-\d{1,2}\s*(发布|上传)") == ("上传", "发布")
    assert required_literals(r"(?:ab)+c?") == ("ab",)
    assert required_literals(r"学|校x") == ("学", "校x")
    assert required_literals(r"听课|听") == ("听",)  # 听课 holds 听
    for none in (r"\d+", r"[^。]{2}", r"a?b*", r"x|\d", r"(?i)abc", re.compile("abc", re.I), r"(?=abc)"):
        assert required_literals(none) is None, none


def test_finite_language():
    assert finite_language(r"课题|小课题|微课题") == {"课题", "小课题", "微课题"}
    assert finite_language(r"a(b|c)d") == {"abd", "acd"}
    assert finite_language(r"学|校") == {"学", "校"}
    for none in (r"a?", r"^a", r"a+", r"听[^,]{0,6}课", r"(?i)ab", r"a|"):
        assert finite_language(none) is None, none


def test_needs():
    assert needs(split._COLLECTION, "篇")  # split's hand-written pre-test
    assert needs(r"ab(c|dc)", "c") and needs(r"x(?:ab)+", "ab") and needs(r"[篇]", "篇")
    assert not needs(r"ab|c", "b") and not needs(r"(?:ab)?", "ab") and not needs(r"(?=ab)", "ab")


def test_scans_by_prefix():
    assert scans_by_prefix(r"第\d+页") and scans_by_prefix(r"(以下|下面)是") and scans_by_prefix(r"[ab]c")
    assert not scans_by_prefix(r"\d{4}-") and not scans_by_prefix(r"(计划|规划)?怎么写") and not scans_by_prefix(r"(?<=a)b")


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from([r"研讨|沙龙", r"阅读[^,，]{0,4}(?:书|专著)", r"(计划|方案)(应该)?怎么写|写计划",
                              r"\d{4}-\d{1,2}-\d{1,2}\s*(发布|上传)", r"听[^,，。]{0,6}课|评课", r"(?:课题)+研究"]))
def test_a_guard_never_hides_a_match(text, pattern):
    rx, g = re.compile(pattern), guard(pattern)
    assert g is not None
    for a in range(0, len(text) + 1, 3):
        if rx.search(text, a) is not None:
            assert g.search(text, a) is not None


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_the_practices_scan_finds_what_every_row_finds(text):
    rows = practices.taxonomy()
    doc = Doc(source=Source.from_text(text), norm=text, script="simplified")
    plan = PlanDraft(0, len(text), 0, 0)
    cuts = sorted({0, len(text), len(text) // 3, len(text) // 2})
    plan.items = [ItemDraft("measure", a, b, None) for a, b in itertools.pairwise(cuts) if b > a]
    doc.plans = [plan]
    practices.categorize(doc)
    for it in plan.items:
        assert it.categories == [p.label for p in rows if p.pattern.search(text, it.start, it.end)]


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_the_debris_hits_are_those_of_every_pattern(text):
    r = debris.rules()
    expected = sorted([m.start() for m in r.long_literals.finditer(text)]
                      + [m.start() for rx in r.long for m in rx.finditer(text)])
    assert debris._hits(text) == expected


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_the_split_pre_tests(text):
    assert split._collection(text) == bool(split._COLLECTION.search(text))
    assert bool(split._NOT_A_PLAN_NEEDS.search(text) and split._NOT_A_PLAN.search(text)) == bool(
        split._NOT_A_PLAN.search(text))


_OLD_PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])\([{PINYIN_LETTERS}]{{1,6}}\)")


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_pinyin_annotations_as_before(text):
    assert compact(text) == (_OLD_PINYIN.sub("", text) if "(" in text else text)
    found = compact_with_offsets(text)
    assert (found is None) == (_OLD_PINYIN.search(text) is None)
    if found is not None:
        assert found[0] == _OLD_PINYIN.sub("", text)


_TERM_AT = re.compile(f"(?=({trie_pattern(list(lexicon().terms))}))")  # what terms_in replaced


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*list(lexicon().terms)[:60], "主要工作目标", "工作", "目标", "x", "，", "一、"]),
                max_size=12).map("".join))
def test_terms_in_as_a_lookahead_finds_them(text):
    assert terms_in(text) == [(m.start(), m.start() + len(m.group(1)), m.group(1)) for m in _TERM_AT.finditer(text)]


_OLD_JOINABLE = re.compile(r"(?<=[\u4e00-\u9fff\d])\n(?=[\u4e00-\u9fff\d])")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["\n", "每", "学年", "1", "a", " ", "，", "\n\n"]), max_size=30).map("".join))
def test_line_breaks_to_join_as_before(text):
    assert [m.span() for m in timex._JOINABLE.finditer(text)] == [m.span() for m in _OLD_JOINABLE.finditer(text)]


def test_anchored():
    assert anchored(r"^ab") and anchored(r"^(a|b)c") and not anchored(r"^a|b") and not anchored(r"a^")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*WORDS, "发布时间:", "来源:", "slider image", "SLIDER Image", "#", "12", "•", " ", "浏览记录",
                                 "[bookmark: x]", "<p>", "</p>"]), max_size=8).map("".join))
def test_short_debris_as_one_search(text):
    r = debris.rules()
    assert debris._short(r, text) == bool(r.short.search(text))


_OLD_ABOVE_SCHOOL = re.compile(r"各(?:中小学|学校|校|幼儿园|园)|全(?:区|县|市|省|镇)(?:中小学|学校|各校|教师)|"
                               r"(?:教育局|教育厅|教育部|教研室|政府|教体局)(?:关于|印发|办公室)|县市政府|本府|本署")
_OLD_AREA = re.compile(r"(?:区|县|市|省|镇)(?:教育局|教育厅|教研室|教研中心|教师发展中心|进修学校|教育体育局|政府)|"
                       r"教育局|教育部|各学校|各校|全区|全县|全市|全镇")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["各", "全", "区", "县", "市", "省", "镇", "教", "育", "局", "厅", "部", "研", "室", "政", "府",
                                 "体", "关于", "印发", "办公室", "学校", "校", "中小学", "教师", "本", "署", "教研中心",
                                 "进修学校", "x"]), max_size=20).map("".join))
def test_patterns_written_to_scan_by_prefix_match_as_before(text):
    assert [m.span() for m in tagging._ABOVE_SCHOOL.finditer(text)] == [m.span() for m in _OLD_ABOVE_SCHOOL.finditer(text)]
    assert meta._LEVELS[-1][1].findall(text) == _OLD_AREA.findall(text)
    assert scans_by_prefix(tagging._ABOVE_SCHOOL) and scans_by_prefix(meta._LEVELS[-1][1])


_OLD_SPACED_FIRST = re.compile(r"(?<=[ \t])([一1])(?=[ \t]*[、.．])")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["一", "1", " ", "\t", "、", ".", "．", "教", "x", "11", "一一"]), max_size=20).map("".join))
def test_spaced_first_items_as_before(text):
    assert [m.span(1) for m in segment._SPACED_FIRST.finditer(text)] == [
        m.span(1) for m in _OLD_SPACED_FIRST.finditer(text)]


_OLD_AMOUNT = re.compile(r"(?P<q>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*" + targets._UNIT
                         + r"(?P<post>以上|以下|及以上|左右|以内)?")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["1", "23", ".", "5", "一", "十", "两", "百", "千", "%", "个百分点", "节课", "节", "次", " ",
                                 "以上", "左右", "人", "万元", "元", "教", "x", "学分"]), max_size=16).map("".join))
def test_amounts_as_before(text):
    assert scans_by_prefix(targets._AMOUNT)
    assert [(m.span(), m.groupdict()) for m in targets._AMOUNT.finditer(text)] == [
        (m.span(), m.groupdict()) for m in _OLD_AMOUNT.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["计划", "方案", "范文", "模板", "标准", "范本", ".doc", ".docx", ".pdf", "VIP", " ", "\n", "(", ")",
                                 "（", "）", "【", "】", "[", "]", "精选", "7", "12", "篇", "一", "第", "_第", "页", "》", "x",
                                 "工作"]), max_size=12).map("".join))
def test_title_tails_as_before(text):
    m = split._TITLE_TAIL.search(text)
    assert split._tail_start(text) == (m.start() if m else len(text))
