"""Counts and consistency checks on sentences in the style of CPPCC reports (issue 17, classes 8–9)."""

import zhdoc


def counts(text: str) -> dict[str, object]:
    doc = zhdoc.parse(text)
    return {e.text: e for r in doc.reports for e in r.entities if e.type == "count"}


def checks(text: str) -> tuple[list, list]:  # type: ignore[type-arg]
    doc = zhdoc.parse(text)
    return [c for r in doc.reports for c in r.checks], [d for d in doc.diagnostics if d.code == "check.failed"]


# class 8: counts


def test_space_between_number_and_measure_word_is_inside_the_span() -> None:
    c = counts("某某县政协全年组织委员视察活动，参加委员312 人次。")
    assert c["312 人次"].value == 312 and c["312 人次"].unit == "人次"


def test_many_after_a_degree_word_or_a_numeral_is_no_count_of_its_own() -> None:
    c = counts("某某区政协开展了很多个调研，组织多个活动，走访10多个单位。")
    assert "很多个" not in c
    assert [t for t in c if t.endswith("多个")] == ["多个", "10多个"]
    assert c["多个"].object == "活动"


def test_political_formulae_are_counts_marked_formula() -> None:
    c = counts("坚定拥护“两个确立”，增强“四个意识”，统筹推进“五位一体”总体布局，围绕一个中心。举办培训班3期。")
    assert c["两个"].formula and c["两个"].object == "确立" and c["两个"].value == 2
    assert c["四个"].formula and c["四个"].object == "意识"
    assert c["五位"].formula and c["五位"].unit == "位" and c["五位"].object == "一体"
    assert c["一个"].formula and c["一个"].object == "中心"
    assert not c["3期"].formula


def test_an_ordinal_before_a_formula_is_no_formula() -> None:
    assert "四个" not in counts("某某市第四个全面提升计划启动。")


def test_object_in_simplified_form_and_after_category_words() -> None:
    c = counts("共提交提案300件，其中，大會提案280件，平時提案20件。經濟建設方面的提案90件，科技类提案15件。")
    assert c["280件"].object == "大会提案" and c["20件"].object == "平时提案"
    assert c["90件"].object == "提案" and c["15件"].object == "提案"


def test_object_of_attendance_and_filed_cases() -> None:
    c = counts("本次大会应到委员230名，实到委员221名。共收到提案180件，经审查立案170件。")
    assert c["230名"].object == "委员" and c["221名"].object == "委员"
    assert c["170件"].object == "立案"


def test_no_object_for_a_clause_that_only_describes_what_is_counted() -> None:
    c = counts("提案所提问题已经解决的65件，占提案总数的38%；作为意见处理的4件。")
    assert c["65件"].object is None and c["38%"].object is None and c["4件"].object is None


def test_a_verb_after_the_counted_noun_ends_it() -> None:
    c = counts("开幕当天，216名委员出席会议，共有24个单位参与办理，经某某区46个承办单位认真办理。")
    assert c["216名"].object == "委员" and c["24个"].object == "单位" and c["46个"].object == "承办单位"


def test_a_share_names_what_follows_it() -> None:
    assert counts("某某县有52.5%的提案建议得到采纳。")["52.5%"].object == "提案建议"


def test_approximation_chao() -> None:
    c = counts("某某市界别提案占比超40%。")
    assert c["超40%"].approx == "超" and c["超40%"].value == 40


# class 9: checks that do not cry wolf


def test_parts_end_where_a_new_verb_starts_a_new_total() -> None:
    text = ("一年来，共收到提案150件，其中委员提案130件，集体提案20件，经审查立案110件"
            "（其中合并立案的30件），不予立案的8件。")
    found, failed = checks(text)
    assert failed == []
    assert len(found) == 1 and found[0].holds
    assert [p.value for p in found[0].parts] == [130, 20]


def test_a_nested_breakdown_in_brackets_belongs_to_its_part() -> None:
    text = "共收到提案200件，其中委员提案180件（其中联名提案40件），集体提案20件。"
    found, failed = checks(text)
    assert failed == [] and [p.value for p in found[0].parts] == [180, 20]


def test_one_tied_part_before_a_new_clause_is_no_check() -> None:
    found, failed = checks("共提交提案120件，其中会后提交15件，经审查立案110件，立案率91.7%。")
    assert found == [] and failed == []


def test_traditional_verbs_start_a_new_total_too() -> None:
    found, failed = checks("共收到提案150件，其中委員提案130件，集體提案20件，經審查立案140件。")
    assert failed == [] and [p.value for p in found[0].parts] == [130, 20]


def test_parts_tied_by_fenbiewei() -> None:
    found, failed = checks("共组织视察调研活动30次，分别为视察12次、调研18次。")
    assert failed == [] and found and found[0].holds


def test_a_real_mismatch_is_still_reported() -> None:
    found, failed = checks("共收到提案150件，其中委员提案120件，集体提案20件。")
    assert len(failed) == 1 and not found[0].holds


def test_formulae_are_no_parts() -> None:
    found, failed = checks("共开展活动12次，其中围绕“两个确立”开展学习7次，专题协商5次。")
    assert failed == [] and [p.value for p in found[0].parts] == [7, 5]
