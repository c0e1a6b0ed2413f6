import pytest

from chalicelib.errors import BadRequestError
from chalicelib.validation import fields


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
