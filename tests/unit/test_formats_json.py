"""Reading our JSON: a document with its annotations, or a bare list of them."""

import json

import pytest

from chalicelib.formats import FormatError, ImportedBox, read
from tests.annotation_files import box, fixture


def test_a_document_gives_its_annotations_placed_by_index():
    assert read(fixture("annotations.json")) == (
        "json",
        [
            ImportedBox(
                1,
                box(
                    1.5,
                    2.25,
                    low_hz=500.0,
                    high_hz=1500.0,
                    label="frog",
                    confidence=0.9,
                    notes="by the pond",
                    measurements={"Peak Freq (Hz)": 812.5},
                    attributes={"Call Type": "advertisement"},
                    channel=2,
                ),
            ),
            ImportedBox(2, box(3.0, 4.0)),
        ],
    )


def test_a_bare_list_of_annotations_is_read_too():
    assert read(fixture("bare_list.json")) == (
        "json",
        [ImportedBox(1, box(0.5, 1.0, label="wren"))],
    )


BOX = {"start_s": 1, "end_s": 2}


def test_what_the_api_answered_imports_as_new_boxes():
    answered = {"annotations": [{**BOX, "id": "a1", "label": "wren"}], "version": 4}
    assert read(json.dumps(answered).encode()) == (
        "json",
        [ImportedBox(1, box(1, 2, label="wren"))],
    )


CHANNEL = "is not a channel number (1, 2, ...)"


@pytest.mark.parametrize(
    ("second", "complaint"),
    [
        ({**BOX, "foo": 1}, "unknown field 'foo'"),
        ({"end_s": 2}, "missing field 'start_s'"),
        ({**BOX, "start_s": "1"}, 'start_s "1" is not a finite number'),
        ({**BOX, "start_s": True}, "start_s true is not a finite number"),
        ({**BOX, "start_s": -1}, "start_s -1 is negative"),
        ({**BOX, "start_s": 3}, "it ends at 2 s, before it starts at 3 s"),
        ({**BOX, "low_hz": -1}, "low_hz -1 is negative"),
        ({**BOX, "label": 7}, "label 7 is not a string"),
        ({**BOX, "label": None}, "label null is not a string"),
        ({**BOX, "notes": []}, "notes [] is not a string"),
        ({**BOX, "channel": 0}, f"channel 0 {CHANNEL}"),
        ({**BOX, "channel": 1.0}, f"channel 1.0 {CHANNEL}"),
        (
            {**BOX, "measurements": {"Peak (Hz)": "9"}},
            "measurements 'Peak (Hz)' \"9\" is not a finite number",
        ),
        ({**BOX, "attributes": {"site": 3}}, "attributes 'site' 3 is not a string"),
        ({**BOX, "attributes": []}, "attributes [] is not an object"),
        ([1, 2], "not an object with start_s and end_s but [1, 2]"),
    ],
)
def test_a_bad_annotation_refuses_the_file_naming_its_index(second, complaint):
    document = {"annotations": [{"start_s": 0, "end_s": 1}, second]}
    with pytest.raises(FormatError) as refused:
        read(json.dumps(document).encode())
    assert str(refused.value) == f"annotation 2: {complaint}"
    assert refused.value.line == 2


# A fraction past the largest double, an integer past it, one past Python's 4,300 digits.
@pytest.mark.parametrize("number", ["1e999", "1" + "0" * 400, "1" + "0" * 5_000])
def test_a_number_too_large_to_be_finite_is_refused(number):
    with pytest.raises(FormatError) as refused:
        read(f'[{{"start_s": 1, "end_s": {number}}}]'.encode())
    assert str(refused.value) == "annotation 1: end_s Infinity is not a finite number"


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (
            '{"annotations": [\n{"start_s": 1,, "end_s": 2}]}',
            "line 2: not valid JSON: Expecting property name enclosed in double quotes",
        ),
        ('[{"start_s": NaN, "end_s": 2}]', "NaN is not a number JSON allows"),
        ('{"recording": "a.wav", "boxes": []}', "unknown field 'boxes' in the document"),
        ('{"recording": "a.wav"}', "the document has no 'annotations' list"),
        ('{"annotations": {"start_s": 1}}', "'annotations' must be a list of annotations"),
        ("[" * 100_000, "not valid JSON: nested too deeply"),
    ],
)
def test_a_file_that_is_not_our_document_is_refused(text, complaint):
    with pytest.raises(FormatError) as refused:
        read(text.encode(), "json")
    assert str(refused.value) == complaint


def test_a_document_without_annotations_has_no_boxes():
    assert read(b'{"recording": "a.wav", "duration_s": null, "annotations": []}') == ("json", [])
