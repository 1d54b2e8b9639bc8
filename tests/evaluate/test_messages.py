"""Messages are built exactly as training saw them."""

from __future__ import annotations

from gx_clova.evaluate.messages import read_test_file, request_body


def test_earlier_turns_of_the_same_conversation_come_first(tmp_path):
    path = tmp_path / "chat.csv"
    path.write_text("System_Prompt,C_ID,T_ID,Text,Completion\n"
                    "상담원,0,0,안녕하세요,네 안녕하세요\n"
                    "상담원,0,1,요금이 얼마죠?,월 4900원입니다\n"
                    ",1,0,해지할래요,멤버십해지\n", encoding="utf-8")
    rows = read_test_file(str(path))
    assert [r.line for r in rows] == [2, 3, 4]
    assert rows[1].messages == (
        {"role": "system", "content": "상담원"},
        {"role": "user", "content": "안녕하세요"},
        {"role": "assistant", "content": "네 안녕하세요"},
        {"role": "user", "content": "요금이 얼마죠?"},
    )
    assert rows[1].expected == "월 4900원입니다"
    assert rows[2].messages == ({"role": "user", "content": "해지할래요"},)  # no empty system message
    body = request_body(rows[0], {"maxTokens": 256, "temperature": 0.5})
    assert body == {"messages": [{"role": "system", "content": "상담원"}, {"role": "user", "content": "안녕하세요"}],
                    "maxTokens": 256, "temperature": 0.5}


def test_a_test_file_with_unreadable_records_is_refused(tmp_path):
    import pytest

    path = tmp_path / "broken.csv"
    path.write_text("C_ID,T_ID,Text,Completion\n0,0,a,b\n\n1,0,c\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line"):
        read_test_file(str(path))
