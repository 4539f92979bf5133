from newsdesk.tokens import index_tokens, normalize, query_runs


def test_chinese_runs_become_bigrams_then_their_last_character():
    assert index_tokens("美联储加息") == ["美联", "联储", "储加", "加息", "息"]


def test_a_single_chinese_character_is_its_own_token():
    assert index_tokens("金") == ["金"]


def test_traditional_and_simplified_give_the_same_tokens():
    assert index_tokens("臺灣積體電路") == index_tokens("台湾积体电路")


def test_english_is_case_folded_and_stemmed():
    assert index_tokens("Rates RISING, rate cuts") == ["rate", "rise", "rate", "cut"]


def test_full_width_letters_and_digits_are_ascii():
    assert normalize("ＮＶＩＤＩＡ １２３") == "nvidia 123"


def test_mixed_scripts_split_at_the_script_boundary():
    assert index_tokens("A股市场") == ["a", "股市", "市场", "场"]


def test_punctuation_emoji_and_glued_garbage_are_dropped():
    assert index_tokens("🚀🚀 —— !!! ") == []
    assert index_tokens("x" * 41 + " ok") == ["ok"]


def test_query_runs_keep_script_apart():
    assert query_runs("iPhone销量") == [(False, "iphone"), (True, "销量")]
