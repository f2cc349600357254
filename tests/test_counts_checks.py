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
    c = counts("共提交提案300件，其中，大會提案280件，平時提案20件。經濟建設方面的提案90件，农业、科技类提案15件。")
    assert c["280件"].object == "大会提案" and c["20件"].object == "平时提案"
    assert c["90件"].object == "提案" and c["15件"].object == "提案"


def test_a_whole_category_in_lei_stays_in_the_object() -> None:
    # 类 names a kind of proposal; only the last of several categories (农业、科技类) loses it
    c = counts("围绕乡村振兴，提出农业农村类提案36件。")
    assert c["36件"].object == "农业农村类提案"


def test_object_of_a_verb_glued_to_its_noun_and_of_coordinated_activities() -> None:
    c = counts("青石县政协邀请县领导通报情况、听取意见15次，接待外地政协考察调研20批次，"
               "开展专题协商议事活动88场，常委会集体学习9次。")
    assert c["15次"].object == "意见"
    assert c["20批次"].object == "考察调研"
    assert c["88场"].object == "协商议事活动"
    assert c["9次"].object == "集体学习"


def test_shared_items_of_a_multiple_count_keep_their_verbs() -> None:
    c = counts("湖光市政协实现了提案见面率、答复满意率两个100%。")
    assert c["两个100%"].object == "提案见面率、答复满意率"


def test_the_subject_of_a_change_is_counted() -> None:
    c = counts("湖光市技术合同成交额增长18.5%。全市居民消费价格上涨1.5%，全市城镇化率提高到61.3%。")
    assert c["18.5%"].object == "技术合同成交额"
    assert c["1.5%"].object == "居民消费价格"
    assert c["61.3%"].object == "城镇化率"


def test_numeral_abbreviation_formulae_are_counts_marked_formula() -> None:
    c = counts("湖光市扎实做好“六稳”工作，全面落实“六保”任务，抓好“三农”工作，深化“双减”改革。工作量双减少。")
    assert c["六稳"].formula and c["六稳"].value == 6 and c["六稳"].unit == "稳" and c["六稳"].object == "工作"
    assert c["六保"].object == "任务" and c["三农"].value == 3
    assert c["双减"].value == 2 and c["双减"].formula
    assert len([t for t in c if t == "双减"]) == 1


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


def test_a_terms_years_as_a_period_are_no_count() -> None:
    c = counts("一、五年工作的回顾\n\n本届以来的五年，是湖光市发展极不平凡的五年。组织开展三年行动计划。")
    assert "五年" not in c
    assert c["三年"].object == "行动计划"


def test_a_duration_names_what_lasts() -> None:
    c = counts("经历三年新冠疫情防控，在为期三天的会议里，委员们积极建言。")
    assert c["三年"].object == "新冠疫情防控" and c["三天"].object == "会议"


def test_the_second_item_after_an_ordinal_is_an_ordinal_too() -> None:
    assert "十六次" not in counts("认真学习第十五次、十六次全国代表大会精神。召开常委会议3次、主席会议5次。")
    assert "5次" in counts("召开常委会议3次、主席会议5次。")


def test_measure_words_the_tokenizer_glued_keep_their_count() -> None:
    c = counts("建立了市四套班子联席会议制度。王某某等15人获优秀委员称号，县委书记一年内3次到县政协调研。")
    assert c["四套"].value == 4 and c["四套"].unit == "套" and c["四套"].object == "班子"
    assert c["15人"].value == 15 and c["3次"].unit == "次"
    assert "九十年" not in counts("上世纪九十年代以来，湖光市政协不断发展。")


def test_one_as_an_item_of_a_list_of_counts() -> None:
    c = counts("锚定一个总目标、抢占两个制高点，建设“三个中心、一个示范区”。形成一个合力、一批成果。")
    assert c["一个"].value == 1
    ones = [e for r in zhdoc.parse("锚定一个总目标、抢占两个制高点，建设“三个中心、一个示范区”。形成一个合力、一批成果。").reports
            for e in r.entities if e.type == "count" and e.text == "一个"]
    assert sorted(e.object for e in ones) == ["总目标", "示范区"]
