"""Stage 6b, sequence (`--mode sequence`): a linear-chain CRF (GROBID's model family,
python-crfsuite) reads a plan's blocks in order and labels each in context: a heading starts
(H), a goal or measure starts (I), the block continues the one before (C: a hard-wrapped
line, a heading wrapped over two lines), text that is neither (N), not a text block (O).

Its features are the signals the rules compute (marker style, rank and sequence, length,
end punctuation, colons, heading-term and role hits, list labels, month labels, the wrap
width, blank lines, position), the rules' own decision (the sections stage has run before
it) crossed with what kind of text the plan is, for the block and its neighbours. Where a
plan's text breaks the rules' assumptions (hard-wrapped, run on, unnumbered) and the model
is sure, it overrules them: C blocks are joined to the block before, headings added or
dropped (`doc.memo["seq_heading"]`), and the sections stage runs again on that. Trained by
`scripts/train_sequence.py` on gold/dev and mutated copies of it, the labels carried
through; the model is package data (extractor/resources/blocks.crfsuite).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .doc import Block, Doc
from .lexicon import compact, heading_term, heading_term_before, lexicon
from .sections import is_list_label
from .segment import _width, wrap_width
from .timex import MONTH_LABEL

# The model overrules the rules only where it is this sure (chosen by 5-fold cross-validation
# on gold/dev, scripts/train_sequence.py --cv): a heading the rules missed, a heading of the
# rules that is none, a join.
ADD_MIN = 0.9  # P(H) for a heading the rules did not find
DROP_MIN = 0.9  # P(not H) for a heading of the rules to be dropped
JOIN_MIN = 0.8  # P(C) for a join
NONE_MIN = 2.0  # P(N) for a block to be no goal or measure (off: it costs goals and schedule)
GATE = True  # overrule the rules only in plans whose text breaks their assumptions
UNNUMBERED_MAX = 0.1  # … fewer numbered blocks than this: an unnumbered outline
RUNON_MIN = 250  # … blocks this long on average: run-on text
TAGGER = None  # a pycrfsuite.Tagger to use instead of the packaged model (cross-validation)
LABELS = ("H", "I", "C", "N", "O")  # heading, item, continuation, neither, not a text block
MODEL = "blocks.crfsuite"
_LEAD_IN = re.compile(r"(?:如下|以下|下列|如次|几点|几个方面)[^,，。]{0,6}[:：]?\s*$|(?:包括|包含|有|是|为)\s*[:：]$")
_SENT_END = re.compile(r"[。;；!！?？]")
_COLON = re.compile(r"[:：]")
_DATE_START = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[月.－/-]\s*\d{0,2}|第\s*[\d一二三四五六七八九十]{1,2}\s*周")


def _len_bucket(n: int) -> str:
    for cap in (2, 4, 6, 8, 10, 12, 15, 18, 22, 26, 30, 40, 55, 80, 120):
        if n <= cap:
            return str(cap)
    return "long"


def _char_class(ch: str) -> str:
    if not ch:
        return "none"
    if ch in "。":
        return "stop"
    if ch in ";；":
        return "semi"
    if ch in ":：":
        return "colon"
    if ch in ",，":
        return "comma"
    if ch in "、":
        return "dun"
    if ch in "!！?？":
        return "excl"
    if ch in ")）】」』”》":
        return "close"
    if ch in "(（【「『“《":
        return "open"
    if ch.isdigit():
        return "digit"
    if "\u4e00" <= ch <= "\u9fff":
        return "cjk"
    if ch.isascii() and ch.isalpha():
        return "latin"
    return "other"


def _gap_lines(norm: str, a: int, b: int) -> int:
    return norm.count("\n", a, b)


def block_features(doc: Doc, first: int, last: int) -> list[list[str]]:
    """The feature strings of blocks [first, last) (one plan), neighbours included."""
    norm = doc.norm
    blocks = doc.blocks[first:last]
    width = doc.memo.get("wrap_width", 0)
    full = width * 3 // 4 if width else 0
    how = doc.memo.get("heading_how", {})
    lex = lexicon()
    styles_seen: dict[str, int] = {}
    last_value: dict[str, int] = {}
    own: list[dict[str, str]] = []
    for k, b in enumerate(blocks):
        i = first + k
        f: dict[str, str] = {}
        m = b.marker
        body = b.body_start if m else b.start
        text = norm[body:b.end]
        n = len(text)
        f["kind"] = b.kind
        if m is not None:
            order = styles_seen.setdefault(m.style, len(styles_seen))
            f["m"] = m.style
            f["mrank"] = f"{m.rank:.0f}"
            f["morder"] = str(min(order, 4))
            prev = last_value.get(m.style)
            f["mseq"] = "first" if m.value == 1 else ("next" if prev is not None and m.value == prev + 1 else "jump")
            last_value[m.style] = m.value
        else:
            f["m"] = "none"
        f["inline"] = "1" if b.inline else "0"
        f["table"] = "1" if b.table else "0"
        f["len"] = _len_bucket(n)
        f["last"] = _char_class(norm[b.end - 1]) if b.end > body else "none"
        f["first"] = _char_class(text[:1])
        f["colon_end"] = "1" if text.endswith((":", "：")) else "0"
        c = _COLON.search(norm, body, b.end - 1) if n > 1 else None
        f["colon_in"] = "none" if c is None else _len_bucket(c.start() - body)
        s = _SENT_END.search(norm, body, b.end - 1) if n > 1 else None
        f["sent_in"] = "none" if s is None else _len_bucket(s.start() - body)
        f["commas"] = str(min(text.count(",") + text.count("，"), 3))
        tm = lex.short_prefix.match(norm, body, b.end)
        if tm:
            f["term"] = lex.terms.get(compact(tm.group()), "other")
            f["term_colon"] = "1" if heading_term(norm, body, b.end, need_colon=True) else "0"
        else:
            f["term"] = "none"
        f["term_end"] = "1" if n <= 40 and heading_term_before(norm, body, b.end) else "0"
        f["month"] = "1" if MONTH_LABEL.match(norm, body, b.end) else "0"
        f["date"] = "1" if _DATE_START.match(norm, body, b.end) else "0"
        f["rule"] = b.kind
        f["cand"] = how.get(i, "none")
        f["list_label"] = "1" if is_list_label(norm[b.start:b.end]) else "0"
        f["lead_in"] = "1" if n <= 60 and _LEAD_IN.search(text) else "0"
        if b.heading_end is not None:
            f["rule_hend"] = _len_bucket(b.heading_end - b.start)
        if k:
            p = blocks[k - 1]
            gap = _gap_lines(norm, p.end, b.start)
            f["gap"] = str(min(gap, 2))
            if full and gap == 1:
                line_start = norm.rfind("\n", 0, p.end) + 1
                f["prev_full"] = "1" if _width(norm, line_start, p.end) >= full else "0"
            f["rel_prev"] = "longer" if n > 2 * (p.end - p.start) + 10 else (
                "shorter" if 2 * n + 10 < p.end - p.start else "same")
        else:
            f["gap"] = "start"
        if full:
            f["full"] = "1" if b.end - b.start and _width(norm, norm.rfind("\n", 0, b.end) + 1, b.end) >= full else "0"
        f["wrap"] = "1" if width else "0"
        f["pos"] = str(min(k, 3))
        own.append(f)
    near = ("m", "len", "last", "rule", "cand", "term", "colon_end", "inline", "list_label")
    # What kind of text the plan is (numbered outline, unnumbered, run-on, hard-wrapped): the
    # rules' decisions are worth more in some than in others, so they are crossed with it.
    texts = [b for b in blocks if b.kind in ("para", "heading", "item")] or blocks
    numbered = sum(1 for b in texts if b.marker is not None) / max(len(texts), 1)
    mean_len = sum(b.end - b.start for b in texts) / max(len(texts), 1)
    style = ("num" if numbered >= 0.3 else "some" if numbered >= 0.1 else "none") + "|" + (
        "short" if mean_len < 40 else "mid" if mean_len < 100 else "long" if mean_len < 250 else "runon")
    style += "|w" if width else ""
    out: list[list[str]] = []
    for k, f in enumerate(own):
        feats = ["bias", *(f"{a}={v}" for a, v in f.items())]
        feats.append(f"doc={style}")
        feats.append(f"rule|doc={f['rule']}|{style}")
        feats.append(f"cand|doc={f['cand']}|{style}")
        feats.append(f"m|doc={f['m']}|{style}")
        feats.append(f"m|len={f['m']}|{f['len']}")
        feats.append(f"m|last={f['m']}|{f['last']}")
        feats.append(f"rule|len={f['rule']}|{f['len']}")
        feats.append(f"cand|m={f['cand']}|{f['m']}")
        for d in (-2, -1, 1, 2):
            j = k + d
            if 0 <= j < len(own):
                g = own[j]
                feats.extend(f"{d}:{a}={g[a]}" for a in near)
                if d == 1:
                    feats.append(f"+1:gap={g['gap']}")
                    feats.append(f"len|+1len={f['len']}|{g['len']}")
                    feats.append(f"last|+1m={f['last']}|{g['m']}")
                if d == -1:
                    feats.append(f"-1last|m={g['last']}|{f['m']}")
            else:
                feats.append(f"{d}:edge")
        out.append(feats)
    return out


def gold_labels(doc: Doc, first: int, last: int, headings: list[tuple[int, int]],
                items: list[tuple[int, int]]) -> list[str]:
    """The label of each block from gold spans: H where a gold heading starts, I where a gold
    goal or measure starts, C where the block starts inside a gold heading or item that began
    before it, N for text that is neither (background, a contents line), O for blocks that are
    not text (debris, titles, schedule-table rows)."""
    heading_starts = sorted(a for a, _ in headings)
    item_starts = sorted(a for a, _ in items)
    spans = sorted(headings + items)
    out = []
    for b in doc.blocks[first:last]:
        if b.kind not in ("para", "heading", "item"):
            out.append("O")
            continue
        lo, hi = b.start - 1, b.body_start + 1
        if _any_in(heading_starts, lo, hi):
            out.append("H")
        elif _any_in(item_starts, lo, hi):
            out.append("I")
        elif any(a < b.start - 1 and e > b.start + 1 for a, e in spans if a < b.start):
            out.append("C")
        else:
            out.append("N")
    return out


def _any_in(sorted_starts: list[int], lo: int, hi: int) -> bool:
    k = bisect.bisect_left(sorted_starts, lo)
    return k < len(sorted_starts) and sorted_starts[k] <= hi


@lru_cache(maxsize=1)
def _tagger():
    from importlib import resources  # here, not at import: ~7 ms of every planx start-up

    import pycrfsuite

    path = resources.files("extractor.resources").joinpath(MODEL)
    tagger = pycrfsuite.Tagger()
    with resources.as_file(path) as p:
        tagger.open(str(p))
    return tagger


def available() -> bool:
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        return False
    from importlib import resources

    return resources.files("extractor.resources").joinpath(MODEL).is_file()


def prepare(doc: Doc) -> None:
    """What the features need once per document: the wrap width."""
    if "wrap_width" not in doc.memo:
        doc.memo["wrap_width"] = wrap_width(doc.norm, doc.blocks) or 0


def label_blocks(doc: Doc) -> Doc:
    """The stage: tag each plan's blocks, join continuations, re-run sections on the decisions."""
    from . import sections

    if not doc.plans:
        return doc
    prepare(doc)
    tagger = TAGGER or _tagger()
    decisions: dict[int, str] = {}
    for plan in doc.plans:
        if plan.last_block <= plan.first_block:
            continue
        if GATE and not rules_out_of_depth(doc, plan.first_block, plan.last_block):
            continue
        feats = block_features(doc, plan.first_block, plan.last_block)
        tagger.set(feats)
        tagger.tag()
        for k in range(len(feats)):
            i = plan.first_block + k
            rule_heading = doc.blocks[i].kind == "heading"
            p_h = tagger.marginal("H", k)
            p_n = tagger.marginal("N", k)
            if tagger.marginal("C", k) >= JOIN_MIN:
                decisions[i] = "C"
            elif not rule_heading and p_h >= ADD_MIN:
                decisions[i] = "H"
            elif rule_heading and 1 - p_h >= DROP_MIN:
                decisions[i] = "N" if p_n > tagger.marginal("I", k) else "I"
            elif not rule_heading and p_n >= NONE_MIN:
                decisions[i] = "N"
    _reset_sections(doc)
    _join_continuations(doc, decisions)
    sections.build_sections(doc)
    return doc


def rules_out_of_depth(doc: Doc, first: int, last: int) -> bool:
    """Whether a plan's text breaks what the rules assume (a line per unit, a numbered
    outline): it is hard-wrapped, run on, or has next to no numbering. Only there does the
    model overrule them; elsewhere the rules win in cross-validation on gold/dev."""
    if doc.memo.get("wrap_width"):
        return True
    texts = [b for b in doc.blocks[first:last] if b.kind in ("para", "heading", "item")]
    if len(texts) < 3:
        return bool(texts) and sum(b.end - b.start for b in texts) >= RUNON_MIN
    numbered = sum(1 for b in texts if b.marker is not None) / len(texts)
    mean_len = sum(b.end - b.start for b in texts) / len(texts)
    return numbered < UNNUMBERED_MAX or mean_len >= RUNON_MIN


def _reset_sections(doc: Doc) -> None:
    for b in doc.blocks:
        if b.kind in ("heading", "item"):
            b.kind = "para"
        b.level = None
        b.heading_end = None
        b.depth = 0
        b.section = None
    for plan in doc.plans:
        plan.sections = []


def _joinable(prev: Block, b: Block) -> bool:
    return prev.kind == "para" and b.kind == "para" and not prev.table and not b.table


def _join_continuations(doc: Doc, decisions: dict[int, str]) -> None:
    """Drop each C block into the block before it (same plan) and re-index the plans."""
    new_index: list[int] = []
    kept: list[Block] = []
    starts = {p.first_block for p in doc.plans}
    heading: dict[int, bool] = {}
    not_item: set[int] = set()
    for i, b in enumerate(doc.blocks):
        lab = decisions.get(i)
        if lab == "C" and kept and i not in starts and _joinable(kept[-1], b):
            kept[-1].end = b.end
            new_index.append(len(kept) - 1)
            continue
        new_index.append(len(kept))
        if lab in ("H", "I", "N"):
            heading[len(kept)] = lab == "H"
        if lab == "N":
            not_item.add(len(kept))
        kept.append(b)
    for plan in doc.plans:
        first, last = plan.first_block, plan.last_block
        plan.first_block = new_index[first] if first < len(new_index) else len(kept)
        plan.last_block = (new_index[last - 1] + 1) if last > first else plan.first_block
    doc.blocks = kept
    doc.memo["seq_heading"] = heading
    doc.memo["seq_not_item"] = not_item  # the items stage makes no goal or measure of these
