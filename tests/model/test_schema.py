"""Schema round trip and validation errors that name file, line and field."""

import json

import pytest

from model.schema import (
    Actor,
    Article,
    Claim,
    Label,
    Mention,
    Mode,
    RecordError,
    Span,
    Stance,
    label_for,
    read_jsonl,
    stance_mode_for,
    write_jsonl,
)

TEXT = "Iran's foreign minister praised Russia on Thursday. He criticised Washington."


def example() -> Article:
    zarif = Actor("Mohammad Javad Zarif", "IRN", "GOV")
    return Article(
        id="ex-1",
        text=TEXT,
        meta={"date": "2020-09-24"},
        sentences=((0, 51), (52, 77)),
        claims=(
            Claim(
                source=Mention("Iran's foreign minister", 0, 23, zarif),
                target=Mention("Russia", 32, 38, Actor("Russia", "RUS", "GOV")),
                stance=Stance.COOPERATIVE,
                mode=Mode.VERBAL,
                sentence=0,
                cue=Span("praised", 24, 31),
            ),
            Claim(
                source=Mention("He", 52, 54, zarif),
                target=Mention("Washington", 66, 76, Actor("United States", "USA", "GOV")),
                stance=Stance.ADVERSARIAL,
                mode=Mode.VERBAL,
                sentence=1,
            ),
        ),
    )


def test_round_trip(tmp_path):
    path = tmp_path / "a.jsonl"
    write_jsonl([example()], path)
    (back,) = read_jsonl(path)
    assert back == example()
    record = json.loads(path.read_text())
    assert record["claims"][0]["label"] == "verbal_cooperation"
    assert record["claims"][0]["source"]["actor"] == {
        "name": "Mohammad Javad Zarif",
        "country": "IRN",
        "sector": "GOV",
    }


def test_pentaclass_follows_stance_and_mode():
    assert label_for(Stance.NEUTRAL, None) is Label.NEUTRAL
    assert label_for(Stance.ADVERSARIAL, Mode.MATERIAL) is Label.MATERIAL_CONFLICT
    assert label_for(Stance.COOPERATIVE, None) is None
    for label in Label:
        stance, mode = stance_mode_for(label)
        assert label_for(stance, mode) is label


def bad_lines(tmp_path, mutate):
    record = example().to_dict()
    mutate(record)
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(example().to_dict()) + "\n" + json.dumps(record) + "\n")
    return path


@pytest.mark.parametrize(
    "mutate, field, message",
    [
        (
            lambda r: r["claims"][0]["source"].update(text="Iran's minister"),
            "claims[0].source",
            "Iran's minister",
        ),
        (
            lambda r: r["claims"][0]["target"].update(start=500, end=506),
            "claims[0].target",
            "outside the text",
        ),
        (
            lambda r: r["claims"][0].update(label="material_conflict"),
            "claims[0].label",
            "does not follow",
        ),
        (lambda r: r["claims"][1].update(stance="hostile"), "claims[1].stance", "hostile"),
        (
            lambda r: r["claims"][0]["source"]["actor"].update(country="Iran"),
            "claims[0].source.actor.country",
            "ISO3",
        ),
        (lambda r: r["claims"][1].update(sentence=0), "claims[1].source", "outside sentence 0"),
        (lambda r: r.pop("text"), "text", "missing"),
    ],
)
def test_validation_names_file_line_and_field(tmp_path, mutate, field, message):
    path = bad_lines(tmp_path, mutate)
    with pytest.raises(RecordError) as caught:
        list(read_jsonl(path))
    error = caught.value
    assert (error.line, error.field) == (2, field)
    assert "bad.jsonl:2" in str(error) and message in str(error)


def test_batch_reader_skips_and_reports(tmp_path):
    path = bad_lines(tmp_path, lambda r: r["claims"][0].update(label="neutral"))
    with path.open("a") as handle:
        handle.write("{not json\n")
        handle.write(json.dumps(example().to_dict()) + "\n")
    errors: list[RecordError] = []
    articles = list(read_jsonl(path, errors))
    assert len(articles) == 2
    assert [error.line for error in errors] == [2, 3]
    assert "not valid JSON" in str(errors[1])
