"""What every format shares: decoding bytes, lines, numbers, and columns named by a header."""

from __future__ import annotations

import codecs
import math
import re
from collections.abc import Iterator, Sequence

from chalicelib.formats.box import FormatError

# ASCII digits only: float() also takes "nan", "inf", "1_0", " 5" and other scripts' digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_CHANNEL = re.compile(r"0*[1-9][0-9]{0,5}")
_LINE_END = re.compile(r"\r\n|\r|\n")
# C0 controls but TAB, LF and CR: no annotation file holds them, binary files do.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BREAKS = re.compile(r"[\t\r\n]")
# A cell a spreadsheet would run as a formula (OWASP's list: =, +, -, @, TAB, CR first),
# and one our exports guarded with a quote (quotes before those, so that a text that
# starts with quotes reads back as it was).
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")
_NOT_TEXT = "the file is not a text file of annotations"
# What a file may take per box it may hold, counted before it is read, so that a file of
# millions of tiny rows is refused before they are made. Lines: Raven writes a selection
# once per view showing it (waveform, spectrograms), Audacity a label's frequencies on a
# line of their own, and blank lines may come between. Cells: a box's own columns, its
# measurements and attributes, in each of its views' rows.
LINES_PER_BOX = 5
CELLS_PER_BOX = 50
# Cells in one line: far more than a box's columns and its 50 measurements and attributes each.
MAX_CELLS = 1_000


def decode(data: bytes) -> str:
    """The text of a file as annotation tools write it.

    A UTF-8 byte order mark is dropped; UTF-16 is read by its byte order mark or, without
    one, by where its NUL bytes fall; anything else is UTF-8, else Windows-1252 (what
    Windows tools write for "ANSI").

    Raises
    ------
    FormatError
        When the file is empty (or only white space) or binary.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _utf16(data, "utf-16")
    elif b"\x00" in data:
        text = _utf16(data, _utf16_byte_order(data))
    else:
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise FormatError(f"{_NOT_TEXT}: it is neither UTF-8 nor Windows-1252") from None
    if _CONTROL.search(text):
        raise FormatError(f"{_NOT_TEXT}: it holds control characters, as binary files do")
    if not text.strip():
        raise FormatError(f"the file is empty: {_NOT_TEXT}")
    return text


def _utf16_byte_order(data: bytes) -> str:
    """UTF-16 without a byte order mark: the NUL of each ASCII character falls on one side."""
    nul_first, nul_second = data[0::2].count(0), data[1::2].count(0)
    if nul_first and not nul_second:
        return "utf-16-be"
    if nul_second and not nul_first:
        return "utf-16-le"
    raise FormatError(f"{_NOT_TEXT}: it holds NUL bytes, as binary files do")


def _utf16(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise FormatError(f"{_NOT_TEXT}: it is not valid UTF-16") from None


def lines(text: str, max_boxes: int | None = None) -> Iterator[str]:
    """Every line, ended by CRLF, LF or CR, in order, made one at a time.

    With ``max_boxes``, the file is refused first, counted without splitting it, when it
    has more lines than that many boxes take (``LINES_PER_BOX`` each) or more cells
    (``CELLS_PER_BOX`` each).
    """
    if max_boxes is not None:
        _check_size(text, max_boxes)
    return _each_line(text)


def _each_line(text: str) -> Iterator[str]:
    start = 0
    for end in _LINE_END.finditer(text):
        yield text[start : end.start()]
        start = end.end()
    yield text[start:]


def _check_size(text: str, max_boxes: int) -> None:
    count = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    most = LINES_PER_BOX * max_boxes + 1
    if count > most:
        raise FormatError(
            f"the file has {count} lines; {max_boxes} annotations take at most {most}"
        )
    # Every cell but a line's first follows a TAB or a comma (quoted ones too: an upper bound).
    count = text.count("\t") + text.count(",") + count
    most = CELLS_PER_BOX * max_boxes
    if count > most:
        raise FormatError(
            f"the file has {count} TABs, commas and lines; {max_boxes} annotations take at "
            f"most {most}"
        )


def records(text: str, max_boxes: int | None = None) -> Iterator[tuple[int, str]]:
    """The lines that are not blank (white space only), with their 1-based numbers
    (``max_boxes``: see ``lines``)."""
    for number, line in enumerate(lines(text, max_boxes), start=1):
        if line.strip():
            yield number, line


def first_record(text: str) -> str:
    """The first line that is not blank (``decode`` makes sure there is one)."""
    return next(records(text))[1]


def parse_number(cell: str) -> float | None:
    """The finite number in ``cell``, or None when it holds none.

    A value that fails and has one ``,`` and no ``.`` is read with the comma as the decimal
    point (tools running under a comma locale write ``1,5``).
    """
    if not _NUMBER.fullmatch(cell):
        cell = cell.strip()
        if not _NUMBER.fullmatch(cell):
            if cell.count(",") != 1 or "." in cell:
                return None
            cell = cell.replace(",", ".")
            if not _NUMBER.fullmatch(cell):
                return None
    value = float(cell)
    return value if math.isfinite(value) else None


def number(cell: str, what: str) -> float:
    """The number in ``cell`` (see ``parse_number``), or a FormatError naming ``what``."""
    value = parse_number(cell)
    if value is None:
        shown = cell.strip()
        raise FormatError(f"{what} '{shown}' is not a number" if shown else f"{what} is empty")
    return value


def not_negative(value: float, what: str) -> float:
    """``value``, a time or a frequency, which cannot be below zero."""
    if value < 0:
        raise FormatError(f"{what} {value:g} is negative")
    return value


def seconds(cell: str, what: str) -> float:
    """A time: a number of seconds, at least 0."""
    return not_negative(number(cell, what), what)


def hertz(cell: str, what: str) -> float | None:
    """A frequency, at least 0 Hz; None for an empty cell (a side left undefined)."""
    return not_negative(number(cell, what), what) if cell.strip() else None


def channel(cell: str, what: str) -> int:
    """A 1-based channel number; 1 for an empty cell."""
    cell = cell.strip()
    if not cell:
        return 1
    if not _CHANNEL.fullmatch(cell):
        raise FormatError(f"{what} '{cell}' is not a channel number (1, 2, ...)")
    return int(cell)


def base_name(path: str) -> str:
    """A file name without its folders, whichever separator wrote them."""
    return re.split(r"[/\\]", path)[-1]


def shortest(value: float | None) -> str:
    """The shortest text that reads back as the same float; "" for None."""
    return "" if value is None else repr(float(value))


def spreadsheet_safe(value: str) -> str:
    """A text cell that no spreadsheet runs: one that would start a formula (``=``, ``+``,
    ``-``, ``@``, TAB or CR first, after any quotes) gets a leading quote; a number, such
    as ``-1``, stays a number."""
    if _FORMULA.match(value) and not _NUMBER.fullmatch(value):
        return f"'{value}"
    return value


def plain(cell: str) -> str:
    """A text cell as it was written: without white space around it, nor the quote that
    ``spreadsheet_safe`` (or a spreadsheet user) put before a formula's first character."""
    cell = cell.strip()
    return cell[1:] if _GUARDED.match(cell) else cell


def one_line(value: str) -> str:
    """``value`` as one cell of a TAB-separated line: TAB, CR and LF become spaces."""
    return _BREAKS.sub(" ", value)


def not_too_wide(content: str, delimiter: str, line: int | None = None) -> str:
    """``content``, the text of ``line``, unless it has more than ``MAX_CELLS`` cells
    between ``delimiter``s: checked before anything splits it."""
    if content.count(delimiter) >= MAX_CELLS:
        raise FormatError(f"more than {MAX_CELLS} cells in one line", line)
    return content


def header(cells: Sequence[str], line: int) -> list[str]:
    """The column names of a header row, each ``plain``, with trailing empty ones (a header
    that ends in TAB) dropped. A name given twice makes its columns ambiguous."""
    names = [plain(cell) for cell in cells]
    while names and not names[-1]:
        names.pop()
    seen: set[str] = set()
    for name in names:
        if name and name.casefold() in seen:
            raise FormatError(f"the header names the column '{name}' twice", line)
        seen.add(name.casefold())
    return names


def row(names: Sequence[str], cells: list[str]) -> list[str]:
    """``cells`` as wide as the header: a short row (empty trailing cells left out) is
    padded with empty cells; a row longer than the header may only add empty cells."""
    if len(cells) > len(names):
        filled = max(i for i, cell in enumerate(cells) if cell.strip() or i < len(names)) + 1
        if filled > len(names):
            raise FormatError(f"the row has {filled} cells but the header names {len(names)}")
        return cells[: len(names)]
    return cells + [""] * (len(names) - len(cells))


def column(names: Sequence[str], *candidates: str) -> int | None:
    """The index of the first of ``candidates`` among ``names`` (in any case), if any is."""
    folded = [name.casefold() for name in names]
    for candidate in candidates:
        if candidate.casefold() in folded:
            return folded.index(candidate.casefold())
    return None
