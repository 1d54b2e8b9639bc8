"""Regenerate the example datasets (deterministic): ``python examples/make_examples.py``.

- ``generation.csv``: a valid multi-turn generation dataset with System_Prompt (1,2xx rows).
- ``classification.csv``: a valid classification dataset built on the cookbook's customer-inquiry
  categories (네이버밴드 / MYBOX / 네이버플러스멤버십), labels rewritten to one word each: 15 labels
  × 200 rows.
- ``broken.csv``: a generation dataset with one of each common fault, at known lines.
"""

from __future__ import annotations

import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

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


def generation_rows(rng: random.Random, conversations: int) -> list[list[str]]:
    rows = []
    for c_id in range(conversations):
        topic = TOPICS[c_id % len(TOPICS)]
        for t_id in range(rng.randint(1, 4)):
            rows.append([SYSTEM, str(c_id), str(t_id), rng.choice(ASKS).format(t=topic), rng.choice(ANSWERS).format(t=topic)])
    return rows


def classification_rows(rng: random.Random, per_label: int) -> list[list[str]]:
    system = "고객 문의를 읽고 카테고리명만 출력하세요."
    items = []
    for label in LABELS:
        product = next(p for p in PRODUCTS if label.startswith(p))
        kind = label[len(product):]
        for _ in range(per_label):
            text = rng.choice(INQUIRY[kind]).format(p=PRODUCTS[product], x=rng.choice(THINGS))
            items.append((text, label))
    rng.shuffle(items)
    return [[system, str(i), "0", text, label] for i, (text, label) in enumerate(items)]


def write(name: str, header: list[str], rows: list[list[str]]) -> str:
    path = os.path.join(HERE, name)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def make_broken() -> str:
    rng = random.Random(11)
    rows = generation_rows(rng, 50)
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
    write("generation.csv", HEADER_SP, generation_rows(random.Random(1), 500))
    write("classification.csv", HEADER_SP, classification_rows(random.Random(2), 200))
    make_broken()


if __name__ == "__main__":
    main()
