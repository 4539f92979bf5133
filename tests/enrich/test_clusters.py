from newsdesk.minhash import THRESHOLD, band_keys, signature, similarity

STORY = (
    "美国劳工部周五公布的数据显示，1月非农就业人数增加14.3万人，低于市场预期的17万人。"
    "失业率意外降至4.0%，平均时薪环比增长0.5%。分析人士认为，数据强化了美联储暂缓降息的预期。"
    "美元指数在数据公布后短线走高，美债收益率上升，黄金价格回落。"
)
OTHER = (
    "欧洲央行周四宣布降息25个基点，为去年6月以来第五次降息。行长表示通胀正朝目标回落，"
    "但经济增长依然疲弱，未来政策将取决于数据。欧元兑美元汇率小幅下跌，欧洲股市收高。"
)


def test_an_edited_copy_is_similar_and_another_story_is_not():
    edited = STORY.replace("失业率意外降至4.0%，平均时薪环比增长0.5%。", "") + "免责声明：本文仅供参考。"
    assert similarity(signature("a", STORY), signature("b", edited)) >= THRESHOLD
    assert similarity(signature("a", STORY), signature("c", OTHER)) < 0.2


def test_signatures_are_stable_bytes_and_keys_fit_a_bigint():
    first, second = signature("t", STORY), signature("t", STORY)
    assert first == second and len(first) == 256
    keys = band_keys(first)
    assert len(keys) == 21 and all(0 <= k < 2**63 for k in keys)


def test_no_text_no_signature_and_short_text_still_gets_one():
    assert signature("", "") is None
    assert signature("金价", "") is not None
