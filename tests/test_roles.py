"""Section roles from heading words (roles.role_of)."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from extractor.lexicon import lexicon
from extractor.roles import role_of

from .conftest import SEEDS, shared_corpus


def _pieces() -> list[str]:
    # heading-length pieces of every line of the seeds and the web corpus
    out = set()
    for path in [*SEEDS, *shared_corpus()]:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            for k in range(0, len(line), 9):
                for n in (4, 5, 7, 10, 16):
                    if len(line) - k >= 4:
                        out.add(line[k:k + n])
    return sorted(out)


def test_fuzzy_candidates_keep_every_term_that_can_match() -> None:
    # the pre-filter drops only terms that cannot reach the cut-off: the same best match as
    # scoring every term, on real text and on near-misses of each term
    lex = lexicon()
    pieces = _pieces()
    for term in lex.long_terms:
        pieces += [term[:-1] + "的", "在" + term[1:], term[0] + "一" + term[1:] + "中", term[::-1]]
    matched = 0
    for text in pieces:
        full = process.extractOne(text, lex.long_terms, scorer=fuzz.partial_ratio, score_cutoff=85)
        candidates = lex.fuzzy_candidates(text, 85)
        assert set(candidates) <= set(lex.long_terms)
        fast = process.extractOne(text, candidates, scorer=fuzz.partial_ratio, score_cutoff=85) if candidates else None
        assert (full and full[:2]) == (fast and fast[:2]), text
        matched += full is not None
    assert matched > 500


def test_role_of_reads_terms_and_near_misses() -> None:
    assert role_of("一、指导思想").role == "guiding"
    assert role_of("主要任务与措施").role == "measures"
    guess = role_of("指导思相")  # a typo: fuzzy
    assert guess is not None and guess.how == "fuzzy" and guess.role == "guiding"
    assert role_of("在摸清家底中促教师发展内需。") is None


def _roles(path) -> dict[str, str]:
    from extractor import extract

    return {s.heading: s.role for p in extract(path) for s in p.sections}


def test_a_schedules_parts_take_their_own_roles_and_keep_their_dated_entries(corpus_dir) -> None:
    # 0233: 三、具体安排 > (一)学科组同课异构联合教研 > 1. 工作要求 / 2. 处室分工: an activity the
    # schedule holds and its requirements and duties, not more schedule; its dated lines stay items
    from extractor import extract

    roles = _roles(corpus_dir / "0233.html")
    assert roles["三、具体安排"] == "schedule"
    assert roles["(一)学科组同课异构联合教研"] == "measures"
    assert roles["1. 工作要求"] == "safeguards" and roles["2. 处室分工"] == "organization"
    assert len(extract(corpus_dir / "0233.html")[0].schedule) >= 6


def test_a_top_level_label_with_its_value_on_its_line(corpus_dir) -> None:
    # 0041: 參、指導單位:教育部國民及學前教育署 / 肆、主辦單位:花蓮縣政府 / 陸、活動日期:
    roles = _roles(corpus_dir / "0041.txt")
    assert roles["参、指导单位:"] == "organization" and roles["肆、主办单位:"] == "organization"
    assert roles["陆、活动日期:"] == "schedule"


def test_regional_words_and_a_label_in_brackets_name_the_role() -> None:
    assert role_of("现况说明").role == "background"  # 現況 (normalised): Taiwan's 现状
    assert role_of("一、端正思想 明确认识(指导思想)").role == "guiding"  # the label in brackets
    assert role_of("預期效益 (與實施方式呼應)").role == "outputs"  # a remark, the words decide


def test_a_part_names_its_own_role_under_a_heading_of_generic_words(corpus_dir) -> None:
    # 0111: 一、科学实验教学计划 reads as action only from 教学 (a generic word): its (一)目标设定
    # names goals by a specific term and keeps them, so its items are goals, not measures
    roles = _roles(corpus_dir / "0111.txt")
    assert roles["(一)目标设定"] == "goals" and roles["(三)评估方式"] == "evaluation"
    # 0146: under 一、行政管理 (管理 alone), (一)辦學理念與校務推動 stays a block of action
    roles = _roles(corpus_dir / "0146.txt")
    assert roles["(一)办学理念与校务推动"] == roles["一、行政管理"]


def test_an_explanation_takes_the_role_of_what_it_explains() -> None:
    # 0046: 📚時間說明 explains the community's meeting times; 說明 alone still reads as guiding
    assert role_of("时间说明").role == "schedule" and role_of("经费说明").role == "budget"
    assert role_of("说明").role == "guiding"


def test_heading_terms_joined_by_and_are_one_heading(corpus_dir) -> None:
    # 0142: 一、指导思想与总体目标 职业学校的教学工作应以…总体目标包括: • 提升学生职业技能水平…: the
    # heading runs to the second term, so it heads goals, and its bullets are goals
    from extractor import extract

    plan = extract(corpus_dir / "0142.txt")[0]
    assert plan.sections[0].heading == "一、指导思想与总体目标" and plan.sections[0].role == "goals"
    assert any(g.text.startswith("• 提升学生职业技能水平") for g in plan.goals)
