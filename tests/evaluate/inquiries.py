"""A Korean customer-inquiry classification dataset like the CLOVA Studio cookbook's: 15 one-word
labels over MYBOX, 네이버플러스멤버십 and 네이버밴드 inquiries, every Text unique.

``write(path, per_label)`` writes ``System_Prompt, C_ID, T_ID, Text, Completion`` rows, labels
interleaved (row i has label i % 15), one turn per conversation.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

SYSTEM = "고객 문의를 읽고 카테고리명만 출력하세요."

#: label -> (what the customer calls the product, what they ask about)
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "마이박스결제": (
        ("네이버 드라이브", "마이박스", "드라이브 앱"),
        ("용량 결제 수단", "문화상품권 결제", "온라인 결제"),
    ),
    "마이박스계정": (("네이버 드라이브", "마이박스", "드라이브 앱"), ("부계정 이동", "새 계정 연결", "계정 전환")),
    "마이박스기능문의": (
        ("네이버 드라이브", "마이박스", "드라이브 앱"),
        ("파일 공유 기능", "최대 저장 용량", "폴더 정리 기능"),
    ),
    "마이박스데이터관리": (
        ("네이버 드라이브", "마이박스", "드라이브 앱"),
        ("휴지통 복구", "사진 백업", "삭제한 파일 되살리기"),
    ),
    "마이박스보안": (("네이버 드라이브", "마이박스", "드라이브 앱"), ("해킹 의심 접속", "보안 설정", "비밀번호 잠금")),
    "멤버십가격": (("혜택구독서비스", "네이버플러스멤버십", "멤버십"), ("연간 요금", "가족 공유 가격", "월 요금")),
    "멤버십결제": (("혜택구독서비스", "네이버플러스멤버십", "멤버십"), ("토스페이 결제", "자동 결제", "결제일 변경")),
    "멤버십기능문의": (
        ("혜택구독서비스", "네이버플러스멤버십", "멤버십"),
        ("쿠팡플레이 변경", "무료 이용권 양도", "디지털 콘텐츠 선택"),
    ),
    "멤버십해지": (("혜택구독서비스", "네이버플러스멤버십", "멤버십"), ("해지 방법", "해지 후 환불", "해지 예약 취소")),
    "멤버십혜택": (("혜택구독서비스", "네이버플러스멤버십", "멤버십"), ("적립 혜택", "VIP 등급 혜택", "추가 적립률")),
    "밴드계정": (("모임어플", "네이버 밴드", "밴드 앱"), ("계정 찾기", "탈퇴 후 재가입", "전화번호 계정 통합")),
    "밴드기능문의": (("모임어플", "네이버 밴드", "밴드 앱"), ("관리자 지정", "투표 기능", "일정 공유")),
    "밴드보안": (("모임어플", "네이버 밴드", "밴드 앱"), ("사진 무단 유출", "보안 설정 강화", "낯선 기기 로그인")),
    "밴드알림": (("모임어플", "네이버 밴드", "밴드 앱"), ("알림이 오지 않음", "알림 소리 변경", "새 글 알림 끄기")),
    "밴드오류해결": (("모임어플", "네이버 밴드", "밴드 앱"), ("업로드 실패 오류", "앱이 자꾸 꺼짐", "로그인 오류")),
}
LABELS: tuple[str, ...] = tuple(TOPICS)
OPENERS = ("", "안녕하세요. ", "급해요 ", "문의드립니다. ", "궁금한데요, ", "저기요 ")
ENDINGS = (
    "어떻게 하나요?",
    "방법 알려주세요.",
    "가능한가요?",
    "문제가 있어요.",
    "확인 부탁드립니다.",
    "왜 안 되죠?",
    "도와주세요.",
    "설명해 주실 수 있나요?",
)


def texts(label: str):
    """Every distinct inquiry this generator makes for ``label`` (432 of them)."""
    names, subjects = TOPICS[label]
    for opener, name, subject, ending in itertools.product(OPENERS, names, subjects, ENDINGS):
        yield f"{opener}{name} {subject} {ending}"


def rows(per_label: int | dict[str, int]) -> list[tuple[str, str]]:
    """(Text, Completion) pairs, labels interleaved, every Text unique."""
    counts = per_label if isinstance(per_label, dict) else {label: per_label for label in LABELS}
    pools = {label: texts(label) for label in counts}
    out: list[tuple[str, str]] = []
    left = dict(counts)
    while any(left.values()):
        for label in counts:
            if left[label]:
                out.append((next(pools[label]), label))
                left[label] -= 1
    return out


def write(path: Path, per_label: int | dict[str, int], total: int | None = None) -> Path:
    """Write the dataset; ``total`` trims it to exactly that many rows (still interleaved)."""
    data = rows(per_label)[:total]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["System_Prompt", "C_ID", "T_ID", "Text", "Completion"])
        for i, (text, label) in enumerate(data):
            writer.writerow([SYSTEM, i, 0, text, label])
    return path
