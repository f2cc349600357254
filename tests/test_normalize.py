from zhdoc.normalize import fold, make_block, normalize, split_lines


def test_fold_is_one_for_one_and_unifies_widths() -> None:
    s = "（一）１２３，會議"
    f = fold(s)
    assert len(f) == len(s)
    assert f.startswith("(一)123")
    assert f.endswith("会议")  # traditional folded to simplified for matching


def test_lines_trim_blanks_and_keep_offsets() -> None:
    text = "\u3000\u3000一、总体\r\n\n  正文。 "
    lines = split_lines(text)
    assert [text[ln.start:ln.end] for ln in lines if not ln.blank] == ["一、总体", "正文。"]


def test_letter_spacing_removed_word_spacing_kept() -> None:
    text = "工 作 报 告\n红武共进 界别同行\n李\u3000强"
    norm = normalize(text)
    blocks = [make_block(text, [(ln.start, ln.end)]) for ln in norm.lines]
    assert [b.text for b in blocks] == ["工作报告", "红武共进 界别同行", "李强"]
    # the map points back into the input
    b = blocks[0]
    s, e = b.input_span(2, 4)
    assert text[s:e] == "报 告"


def test_zero_width_characters_removed_with_offsets_kept() -> None:
    text = "召开\u200b会议12次。"
    b = make_block(text, [(0, len(text))])
    assert b.text == "召开会议12次。"
    s, e = b.input_span(4, 7)
    assert text[s:e] == "12次"
