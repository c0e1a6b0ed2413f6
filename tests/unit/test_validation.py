import math

import pytest

from chalicelib.errors import BadRequestError
from chalicelib.validation import (
    LARGEST_NUMBER,
    fields,
    json_body,
    some_fields,
    text,
    whole_number,
)


def test_the_fields_come_back_in_the_order_asked():
    assert fields({"b": 2, "a": 1}, "a", "b") == (1, 2)


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ([], "send a JSON object with a and b"),
        ("a", "send a JSON object with a and b"),
        ({"a": 1}, "missing field(s): b"),
        ({"a": 1, "b": 2, "c": 3, "B": 4}, "unknown field(s): B, c; send only a and b"),
    ],
)
def test_anything_but_an_object_with_exactly_those_fields_is_named(body, complaint):
    with pytest.raises(BadRequestError) as refused:
        fields(body, "a", "b")
    assert refused.value.message == complaint


def test_optional_fields_come_after_the_required_ones_and_are_none_when_left_out():
    assert fields({"a": 1}, "a", optional=("b", "c")) == (1, None, None)
    assert fields({"c": 3, "a": 1}, "a", optional=("b", "c")) == (1, None, 3)


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (None, "send a JSON object with a (and optionally b)"),
        ({"b": 2}, "missing field(s): a"),
        ({"a": 1, "c": 3}, "unknown field(s): c; send only a and b"),
    ],
)
def test_optional_fields_are_named_in_the_complaints(body, complaint):
    with pytest.raises(BadRequestError) as refused:
        fields(body, "a", optional=("b",))
    assert refused.value.message == complaint


def test_some_fields_are_those_given_null_included():
    assert some_fields({"b": None}, "a", "b") == {"b": None}
    assert some_fields({}, "a", "b") == {}
    with pytest.raises(BadRequestError, match="send a JSON object with any of a and b"):
        some_fields([], "a", "b")
    with pytest.raises(BadRequestError, match="unknown field"):
        some_fields({"c": 1}, "a", "b")


@pytest.mark.parametrize(
    ("value", "number"),
    [(3, 3), (3.0, 3), (-2, -2), (10**30, 10**30), (3.5, None), (True, None), ("3", None)],
)
def test_a_whole_number_is_any_json_integer(value, number):
    assert whole_number(value) == number


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("", "site must be a string of 1 to 3 characters"),
        ("abcd", "site must be a string of 1 to 3 characters"),
        (None, "site must be a string of 1 to 3 characters"),
        ("a\x85", "site 'a\\x85' holds control characters"),
        ("\udc00", "site '\\udc00' is not valid Unicode text"),
    ],
)
def test_text_a_person_gave_has_no_control_characters(value, complaint):
    with pytest.raises(BadRequestError) as refused:
        text(value, field="site", max_length=3)
    assert refused.value.message == complaint
    assert text("🐸ab", field="site", max_length=3) == "🐸ab"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (b"", {}),
        (None, {}),
        (b'{"a": [1, {"b": "[{[{"}]}', {"a": [1, {"b": "[{[{"}]}),
        ('{"a": "Grünfrosch"}'.encode("utf-16"), {"a": "Grünfrosch"}),
    ],
)
def test_a_body_is_its_json_value(raw, value):
    assert json_body(raw, max_containers=3) == value


@pytest.mark.parametrize(
    ("raw", "complaint"),
    [
        (
            b"[[[[]]]]",
            "the request body holds 4 JSON arrays and objects; a request takes at most 3",
        ),
        (b'{"a": ', "the request body is not valid JSON: Expecting value: line 1 column 7"),
        (b"\xff\xfe\xff", "the request body is not valid JSON: 'utf-16-le' codec can't decode"),
        (b"[" * 3 + b'"' + b"[" * 10, "the request body holds 13 JSON arrays and objects"),
    ],
)
def test_a_body_of_more_arrays_and_objects_than_allowed_is_refused_unparsed(raw, complaint):
    with pytest.raises(BadRequestError) as refused:
        json_body(raw, max_containers=3)
    assert refused.value.message.startswith(complaint), refused.value.message


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        (b'{"n": 1e400}', math.inf),
        (b'{"n": -1e400}', -math.inf),
        (b'{"n": ' + b"9" * 400 + b"}", math.inf),
        (b'{"n": -' + b"9" * 5000 + b"}", -math.inf),
        (b'{"n": Infinity}', math.inf),
    ],
)
def test_a_number_no_double_holds_reads_as_infinite(raw, read):
    assert json_body(raw, max_containers=3) == {"n": read}


@pytest.mark.parametrize("raw", [b"[" * 100_000, b'{"n": 1', b"\xff"])
def test_a_body_that_is_not_json_is_refused(raw):
    with pytest.raises(BadRequestError, match="the request body is not valid JSON"):
        json_body(raw, max_containers=100_000)


def test_a_body_keeps_its_integers_and_fractions():
    document = json_body(
        b'{"a": 12, "b": 1.5, "c": 2e3, "d": 1.7976931348623157e308}', max_containers=1
    )
    assert document == {"a": 12, "b": 1.5, "c": 2000.0, "d": LARGEST_NUMBER}
    assert isinstance(document["a"], int) and isinstance(document["c"], float)
