"""Reading Audacity label tracks, standard and extended."""

import pytest

from chalicelib.formats import FormatError, ImportedBox, read
from tests.annotation_files import fixture, read_by

box = read_by("audacity")


def test_standard_labels_are_start_end_and_label():
    assert read(fixture("audacity_standard.txt")) == (
        "audacity",
        [
            ImportedBox(1, box(0.5, 1.25, label="frog")),
            ImportedBox(2, box(1.5, 2.0)),
            ImportedBox(3, box(3.0, 4.5, label="frog chorus, far away")),
        ],
    )


def test_extended_labels_take_their_frequencies_from_the_backslash_line():
    assert read(fixture("audacity_extended.txt")) == (
        "audacity",
        [
            ImportedBox(1, box(0.5, 1.25, low_hz=500.0, high_hz=1500.0, label="frog")),
            ImportedBox(3, box(3.0, 4.5, low_hz=250.5, high_hz=900.0, label="toad")),
        ],
    )


def test_standard_and_extended_labels_mix_and_minus_one_is_an_undefined_side():
    # The second frequency line after "frog" is ignored, as Audacity ignores it.
    assert read(fixture("audacity_mixed.txt")) == (
        "audacity",
        [
            ImportedBox(1, box(0.5, 1.25, low_hz=500.0, high_hz=1500.0, label="frog")),
            ImportedBox(4, box(2.0, 2.5, label="cricket")),
            ImportedBox(5, box(3.0, 4.5, high_hz=900.0, label="toad")),
            ImportedBox(7, box(5.0, 6.0, low_hz=20000.0, label="bat")),
        ],
    )


def test_point_labels_end_where_they_start():
    assert read(fixture("audacity_points.txt")) == (
        "audacity",
        [
            ImportedBox(1, box(1.0, 1.0, label="click")),
            ImportedBox(2, box(2.5, 2.5, label="knock")),
            ImportedBox(3, box(4.0, 4.0)),
        ],
    )


def test_times_and_frequencies_written_with_a_decimal_comma_are_read():
    assert read(fixture("audacity_comma_decimals.txt")) == (
        "audacity",
        [ImportedBox(1, box(0.5, 1.25, low_hz=500.0, high_hz=1500.5, label="frog"))],
    )


def test_only_the_third_field_is_the_label_and_a_number_after_it_the_confidence():
    # BirdNET's Audacity output adds its confidence as a fourth field.
    data = b"0.0\t3.0\tEurasian Wren\t0.8123\n3.0\t6.0\tfrog\tgreen\tpond\n"
    assert read(data) == (
        "audacity",
        [
            ImportedBox(1, box(0.0, 3.0, label="Eurasian Wren", confidence=0.8123)),
            ImportedBox(2, box(3.0, 6.0, label="frog")),
        ],
    )


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("abc\t1.0\tfrog", "line 2: start time 'abc' is not a number"),
        ("-0.5\t1.0\tfrog", "line 2: start time -0.5 is negative"),
        ("2.0\t1.0\tfrog", "line 2: it ends at 1 s, before it starts at 2 s"),
        ("\\\tlow\t900", "line 2: low frequency 'low' is not a number"),
        ("\\\t100\t-20", "line 2: high frequency -20 is negative"),
        ("\\\t100", "line 2: a frequency line must be '\\<TAB>low<TAB>high'"),
    ],
)
def test_a_bad_line_refuses_the_file_naming_it(line, complaint):
    with pytest.raises(FormatError) as refused:
        read(f"0.5\t1.0\tfrog\n{line}\n3.0\t4.0\ttoad\n".encode(), "audacity")
    assert str(refused.value) == complaint
    assert refused.value.line == 2


def test_a_frequency_line_before_any_label_is_refused():
    with pytest.raises(FormatError) as refused:
        read(b"\n\\\t100\t900\n0.5\t1.0\tfrog\n")
    assert str(refused.value) == "line 2: a frequency line ('\\') must follow a label"
