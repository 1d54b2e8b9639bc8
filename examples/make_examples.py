"""Regenerate the example datasets (deterministic): ``python examples/make_examples.py``.

The three examples teach the three verdicts:

- ``classification.csv`` **passes clean**: the cookbook's customer-inquiry categories
  (네이버밴드 / MYBOX / 네이버플러스멤버십), labels written as one word each, 15 labels × 200 rows,
  every inquiry a different sentence (built from templates whose combinations never repeat).
- ``generation.csv`` **passes with a few warnings**: multi-turn customer-support conversations
  (1,2xx rows, every row different), with three deliberate quality warnings a reviewer should
  look at: one repeated row (``duplicate.row``), one phone number (``pii.phone-number``) and one
  decomposed-Hangul text (``text.not-nfc``).
- ``broken.csv`` **fails** on several rules, each at a known line (``row.too-long`` at line 39, …).
"""

from __future__ import annotations

import csv
import os
import random
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

# -- broken.csv: its faults sit at lines tests and the README name, so its base rows stay as they were.
SYSTEM = "AI 어시스턴트는 주어진 내용에 대해서 정확히 이해하고 질문에 대답합니다."
TOPICS = ["여행 준비", "넥 라인 종류", "바세린 원료", "출근 지연 문자", "코드 설명", "문서 요약", "회의록 정리", "이메일 작성"]
ASKS = ["{t}에 대해 알려줘.", "{t}을(를) 표로 정리해 줘.", "조금 더 자세히 설명해 줄래?", "예시를 하나 들어 줘.", "한 문장으로 요약하면?"]
ANSWERS = [
    "{t}에 대해 정리하면 다음과 같습니다.\n1. 핵심을 먼저 확인합니다.\n2. 필요한 항목을 준비합니다.\n3. 마지막으로 점검합니다.",
    "| 항목 | 설명 |\n| 준비 | {t}에 필요한 것을 챙깁니다 |\n| 확인 | 빠진 것이 없는지 봅니다 |",
    "물론입니다. {t}은(는) \"순서\"와 \"기준\"을 함께 보면, 이해하기 쉽습니다.",
    "예를 들어, {t}의 경우 일정, 비용, 준비물을 차례로 적어 보세요.",
    "{t}: 준비하고, 확인하고, 실행하세요.",
]

# -- classification.csv ------------------------------------------------------------------------
PRODUCTS = {"밴드": "모임어플", "마이박스": "네이버 드라이브", "멤버십": "혜택구독서비스"}
LABELS = [
    "밴드기능문의", "밴드계정", "밴드보안", "밴드오류해결", "밴드알림",
    "마이박스기능문의", "마이박스계정", "마이박스결제", "마이박스보안", "마이박스데이터관리",
    "멤버십기능문의", "멤버십결제", "멤버십가격", "멤버십해지", "멤버십혜택",
]
INQUIRY = {
    "기능문의": ["{p}에서 {x} 기능은 어떻게 사용하나요?", "{p} {x} 설정 방법 알려주세요."],
    "계정": ["{p} 계정을 지웠다가 다시 만들 수 있나요?", "{p} 부계정으로 {x} 옮겨도 되나요?"],
    "보안": ["{p} 계정이 해킹된 것 같아요. {x} 어떻게 하죠?", "{p}에서 {x} 보안 설정을 강화하고 싶어요."],
    "오류해결": ["{p}에서 {x} 하려고 하면 자꾸 오류가 나요.", "{p} {x}이(가) 안 돼요. 해결 방법이 있나요?"],
    "알림": ["{p} 알림이 안 와요. {x} 켜놨는데요.", "{p}에서 {x} 알림을 끄고 싶어요."],
    "결제": ["{p} 결제를 {x}(으)로 할 수 있나요?", "{p} 결제 내역에 {x}이(가) 두 번 찍혔어요."],
    "데이터관리": ["{p}에서 지운 {x}을(를) 복구할 수 있나요?", "{p} {x} 백업은 어떻게 하나요?"],
    "가격": ["{p} 한 달 요금이 얼마예요? {x} 포함인가요?", "{p} 1년 결제하면 {x}보다 싼가요?"],
    "해지": ["{p} 해지하면 {x}은(는) 어떻게 되나요?", "{p} 자동 결제를 {x} 전에 해지하고 싶어요."],
    "혜택": ["{p} 혜택으로 {x}을(를) 받을 수 있나요?", "{p} {x} 혜택은 가족도 쓸 수 있나요?"],
}
THINGS = ["사진", "동영상", "투표", "파일 공유", "토스페이", "문화상품권", "웨이브", "관리자 지정", "휴지통", "멤버 초대"]

HEADER_SP = ["System_Prompt", "C_ID", "T_ID", "Text", "Completion"]


def broken_base_rows(rng: random.Random, conversations: int) -> list[list[str]]:
    rows = []
    for c_id in range(conversations):
        topic = TOPICS[c_id % len(TOPICS)]
        for t_id in range(rng.randint(1, 4)):
            rows.append([SYSTEM, str(c_id), str(t_id), rng.choice(ASKS).format(t=topic), rng.choice(ANSWERS).format(t=topic)])
    return rows


CLASS_SYSTEM = "고객 문의를 읽고 카테고리명만 출력하세요."
#: How an inquiry opens and ends: with the kind's templates and the things, no two inquiries repeat.
OPENINGS = ["", "안녕하세요. ", "문의드립니다. ", "급해요. ", "질문이 있어요. ", "혹시 ", "어제부터 궁금했는데요, "]
ENDINGS = ["", " 답변 부탁드려요.", " 알려 주세요.", " 확인 부탁합니다.", " 감사합니다."]
MORE_THINGS = ["앨범", "채팅방", "일정", "공지", "출석 체크", "가족 공유", "네이버페이 포인트", "영수증", "폴더", "즐겨찾기"]


def classification_rows(rng: random.Random, per_label: int) -> list[list[str]]:
    """``per_label`` different inquiries for each label; the product and the kind's own template
    make an inquiry of one label impossible to write for another (no label.conflict)."""
    items = []
    for label in LABELS:
        product = next(p for p in PRODUCTS if label.startswith(p))
        kind = label[len(product):]
        texts = sorted({
            opening + template.format(p=PRODUCTS[product], x=thing) + ending
            for opening in OPENINGS for template in INQUIRY[kind] for thing in THINGS + MORE_THINGS for ending in ENDINGS
        })
        rng.shuffle(texts)
        items += [(text, label) for text in texts[:per_label]]
    rng.shuffle(items)
    return [[CLASS_SYSTEM, str(i), "0", text, label] for i, (text, label) in enumerate(items)]


# -- generation.csv ----------------------------------------------------------------------------
SUPPORT = "당신은 온라인 쇼핑몰의 고객 상담원입니다. 정중하고 간결하게 답하세요."
GOODS = ["무선 이어폰", "전기 주전자", "겨울 패딩", "러닝화", "캠핑 의자", "블루투스 스피커", "가습기", "원목 책상",
         "유아용 카시트", "노트북 거치대", "에어프라이어", "요가 매트", "전동 칫솔", "캐리어", "모니터", "보조 배터리",
         "커피 머신", "로봇 청소기", "식기세척기", "안마 의자"]
ISSUES = {
    "배송": ("{g} 주문한 지 {d}일 됐는데 아직 배송 준비 중이에요. 언제 받을 수 있나요?",
             "불편을 드려 죄송합니다. {g}은(는) 재고 확인 후 {d}일 안에 출고될 예정이며, 출고되면 문자로 송장 번호를 보내 드립니다."),
    "교환": ("{g} 색상을 잘못 골랐어요. 받은 지 {d}일인데 교환할 수 있나요?",
             "네, 받으신 지 7일 이내이고 사용하지 않으셨다면 {g} 교환이 가능합니다. 주문 내역에서 교환 신청을 눌러 주세요."),
    "환불": ("{g} 반품하고 환불받고 싶어요. 결제한 지 {d}일 지났어요.",
             "{g} 환불은 반품 상품이 도착한 뒤 영업일 기준 3일 안에 결제 수단으로 처리됩니다. 반품 신청부터 도와드릴게요."),
    "고장": ("{g}이(가) {d}일 만에 작동을 안 해요. 어떻게 해야 하나요?",
             "사용에 불편을 드려 죄송합니다. {g}은(는) 구입 후 1년 동안 무상 수리가 되며, 사진을 보내 주시면 접수해 드리겠습니다."),
    "사용법": ("{g} 처음 써 보는데 설정을 어떻게 하나요? 받은 지 {d}일 됐어요.",
               "{g} 설정은 전원을 켠 뒤 설명서 2쪽의 순서대로 하시면 됩니다. 막히는 단계를 알려 주시면 이어서 안내해 드릴게요."),
}
FOLLOW_UPS = [
    ("그럼 배송비는 누가 부담하나요?", "{issue} 사유가 판매자 쪽에 있으면 배송비는 저희가 부담하고, 단순 변심이면 왕복 배송비 6,000원이 듭니다."),
    ("처리되면 알림을 받을 수 있나요?", "네, {g} {issue} 건이 처리되는 즉시 문자와 앱 알림으로 알려 드립니다."),
    ("주말에도 처리되나요?", "{issue} 접수는 주말에도 되지만, 처리는 평일 오전 9시부터 순서대로 진행됩니다."),
]


def generation_rows(rng: random.Random) -> list[list[str]]:
    """Conversations of 1–4 turns, every (goods, issue, day) once: no row repeats another, and
    the same question never gets two answers. Then three deliberate warnings."""
    cases = [(g, issue, d) for g in GOODS for issue in ISSUES for d in (2, 3, 5, 10)]
    rng.shuffle(cases)
    rows = []
    for c_id, (goods, issue, days) in enumerate(cases[:400]):
        ask, answer = ISSUES[issue]
        turns = [(ask.format(g=goods, d=days), answer.format(g=goods, d=days))]
        for follow, reply in rng.sample(FOLLOW_UPS, rng.randint(0, 3)):
            turns.append((follow, reply.format(g=goods, issue=issue)))
        rows += [[SUPPORT, str(c_id), str(t_id), text, completion] for t_id, (text, completion) in enumerate(turns)]
    # The few warnings: a reviewer should look at these rows, and the dataset still passes.
    last = int(rows[-1][1])
    rows.append([SUPPORT, str(last + 1), "0", rows[0][3], rows[0][4]])                       # duplicate.row
    rows[10][3] = rows[10][3] + " 연락은 010-2345-6789로 주세요."                            # pii.phone-number
    rows[20][3] = unicodedata.normalize("NFD", rows[20][3])                                  # text.not-nfc
    return rows


def write(name: str, header: list[str], rows: list[list[str]]) -> str:
    path = os.path.join(HERE, name)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def make_broken() -> str:
    rng = random.Random(11)
    rows = broken_base_rows(rng, 50)
    # Faults, each at a row we know (row index i is on a line we compute when writing).
    rows[10][4] = ""                                   # completion.empty
    rows[20][3] = "가" * 8001                          # row.too-long
    rows[30][0] = "다른 지시문입니다."                   # system_prompt.inconsistent (if not a T_ID 0 row)
    conv_40 = int(rows[40][1])
    for row in rows[40:]:
        if int(row[1]) > conv_40:
            row[1] = str(int(row[1]) + 1)              # c_id.sequence: a jump
    rows[50][2] = "7"                                  # t_id.sequence
    path = os.path.join(HERE, "broken.csv")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER_SP)
        for i, row in enumerate(rows):
            writer.writerow(row)
            if i == 60:
                handle.write("\n")                      # file.blank-row
            if i == 70:
                handle.write("0,0,missing cells\n")     # file.format
    return path


def main() -> None:
    write("generation.csv", HEADER_SP, generation_rows(random.Random(1)))
    write("classification.csv", HEADER_SP, classification_rows(random.Random(2), 200))
    make_broken()


if __name__ == "__main__":
    main()
