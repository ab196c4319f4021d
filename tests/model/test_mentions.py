"""Actor candidates from spaCy, with and without the lemmatizer the extractor drops."""

from model.mentions import doc_candidates, is_agent_noun, load_nlp


def test_agent_nouns_match_plural_forms():
    assert all(is_agent_noun(w) for w in ("officials", "Authorities", "forces", "allies", "police"))
    assert not any(is_agent_noun(w) for w in ("talks", "sanctions", "weapons"))


def test_candidates_do_not_need_lemmas():
    text = (
        "Iranian officials rebuked Washington on Monday. Rebel fighters shelled the capital, "
        "and the authorities said they would respond."
    )
    with_lemmas = doc_candidates(load_nlp()(text))
    without = doc_candidates(load_nlp(lemmas=False)(text))
    assert with_lemmas == without
    found = {text[a:b] for sentence in without for a, b in sentence}
    assert {"Iranian officials", "Washington", "Rebel fighters", "the authorities"} <= found
