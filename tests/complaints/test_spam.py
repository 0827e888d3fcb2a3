"""The spam score."""

from __future__ import annotations

import pytest

from tests.complaints.support import GENUINE
from tuoyu.complaints.spam import spam_score, text_key


def test_genuine_complaint_scores_zero():
    assert spam_score(GENUINE)[0] == 0


@pytest.mark.parametrize("text", ["加微信看成人视频", "网上赌场百家乐", "六合彩 时时彩 老虎机"])
def test_spam_vocabulary_reaches_threshold(text):
    assert spam_score(text)[0] >= 5


def test_traditional_characters_match_simplified_vocabulary():
    assert any(r.startswith("vocabulary:") for r in spam_score("澳門賭場")[1])


def test_many_links_reach_threshold():
    assert spam_score("见 http://a.cn http://b.cn http://c.cn")[0] >= 5


def test_markup_reaches_threshold():
    assert spam_score('孩子受伤 <img src=x onerror=alert(1)>')[0] >= 5


def test_repeated_phrase_is_signalled():
    assert "repeated" in spam_score("快来看快来看快来看快来看快来看")[1]


def test_capitals_are_signalled():
    assert "capitals" in spam_score("CHEAP PILLS BUY NOW BEST PRICE TODAY")[1]


def test_text_key_ignores_spacing_and_punctuation():
    assert text_key("窗户 没有护栏！") == text_key("窗户没有护栏")
