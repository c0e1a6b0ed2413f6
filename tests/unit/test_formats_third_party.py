"""Real files written by other tools (tests/fixtures/annotations/THIRD_PARTY.md)."""

from chalicelib.formats import ImportedBox, read
from tests.annotation_files import fixture, read_by


def third_party(name: str) -> tuple[str, list[ImportedBox]]:
    return read(fixture(f"third_party/{name}"))


def test_opensoundscapes_raven_table_with_an_unlabelled_last_selection():
    format, boxes = third_party(
        "opensoundscape_MSD-0003_20180427_2minstart00.Table.1.selections.txt"
    )
    assert (format, len(boxes)) == ("raven", 10)
    assert boxes[0] == ImportedBox(
        2,
        read_by("raven")(
            1.897648165999982, 4.110570810999974, low_hz=1326.3, high_hz=3266.5, label="WOTH"
        ),
    )
    assert [imported.box["label"] for imported in boxes[6:]] == ["WOTH", "LOWA", "EATO", ""]


def test_opensoundscapes_table_whose_header_ends_in_a_tab_and_has_no_final_line_end():
    assert third_party("opensoundscape_raven_with_Annotation_col.txt") == (
        "raven",
        [
            ImportedBox(
                2,
                read_by("raven")(
                    1.897648165999982,
                    4.110570810999974,
                    low_hz=1326.3,
                    high_hz=3266.5,
                    label="CSWA",
                ),
            )
        ],
    )


def test_crowsettas_chronister_raven_table_with_crlf_line_ends():
    format, boxes = third_party("crowsetta_Recording_1_Segment_02.Table.1.selections.txt")
    assert (format, len(boxes)) == ("raven", 6)
    assert boxes[-1] == ImportedBox(
        7,
        read_by("raven")(295.52970757, 296.110168316, low_hz=2951.4, high_hz=3975.8, label="EATO"),
    )
    assert {imported.box["label"] for imported in boxes} == {"EATO"}


def test_scikit_maads_extended_audacity_labels():
    format, boxes = third_party("scikit-maad_spinetail.txt")
    assert (format, len(boxes)) == ("audacity", 18)
    assert boxes[0] == ImportedBox(
        1,
        read_by("audacity")(
            0.101385, 0.36752, low_hz=6441.064453, high_hz=12296.577148, label="SP"
        ),
    )
    assert boxes[-1] == ImportedBox(
        35,
        read_by("audacity")(
            19.073023, 19.465889, low_hz=4349.810059, high_hz=12296.577148, label="SP"
        ),
    )
    assert sum(imported.box["label"] == "CRER" for imported in boxes) == 4


def test_birdnets_own_v2_4_selection_table():
    format, boxes = third_party("BirdNET-Analyzer_SNAPSHOT.analyze__main.case1.expected.table.txt")
    assert (format, len(boxes)) == ("birdnet", 6)
    assert boxes[2] == ImportedBox(
        4,
        read_by("birdnet")(
            42.0,
            45.0,
            low_hz=0.0,
            high_hz=15000.0,
            label="Dark-eyed Junco",
            confidence=0.7375,
            attributes={
                "Species Code": "daejun",
                "Begin Path": "birdnet_analyzer/example/soundscape.wav",
                "File Offset (s)": "42.0",
                "frequency_band": "analysis",
            },
        ),
    )
