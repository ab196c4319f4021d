"""Actor candidates from spaCy, with and without the lemmatizer the extractor drops."""

from model.gazetteer import ActorEntry, Gazetteer
from model.mentions import doc_candidates, is_agent_noun, load_nlp, restated_mentions
from model.schema import Actor


def test_agent_nouns_match_plural_forms():
    # generic nouns (allies, forces) and the gazetteer's agent nouns (officials, police)
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


def test_a_name_the_gazetteer_knows_is_a_candidate_without_ner():
    text = "the troika rejected the offer on Monday."
    doc = load_nlp(lemmas=False)(text)
    troika = Actor(name="Troika", country="IGO", sector=None)
    knows = Gazetteer.from_entries([ActorEntry(troika, ("troika",))])

    def found(gazetteer):
        return {
            text[a:b] for sentence in doc_candidates(doc, gazetteer=gazetteer) for a, b in sentence
        }

    assert "the troika" in found(knows)
    assert "the troika" not in found(Gazetteer.from_entries([]))


def restated(text: str, phrases: list[str]) -> dict[str, str]:
    sentence = next(load_nlp(lemmas=False)(text).sents)
    spans = [(text.index(p), text.index(p) + len(p)) for p in phrases]
    found = restated_mentions(sentence, spans)
    return {text[a:b]: text[c:d] for (a, b), (c, d) in found.items()}


def test_relative_pronouns_and_appositives_restate_the_named_phrase():
    assert restated(
        "Former president Alvaro Uribe, who led the No campaign, denounced Santos.",
        ["Former president Alvaro Uribe", "who", "Santos"],
    ) == {"who": "Former president Alvaro Uribe"}
    assert restated(
        "Kampala blames the ADF, an Islamic State-linked group, for the bombings.",
        ["Kampala", "the ADF", "an Islamic State-linked group"],
    ) == {"an Islamic State-linked group": "the ADF"}


def test_coordinated_names_are_not_restatements():
    assert (
        restated(
            "Delegations from Cairo, Addis Ababa and Khartoum resumed negotiations.",
            ["Delegations", "Cairo", "Addis Ababa", "Khartoum"],
        )
        == {}
    )
