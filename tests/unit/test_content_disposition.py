import pytest

from chalicelib.http_headers import content_disposition


@pytest.mark.parametrize(
    ("filename", "header"),
    [
        ("Dawn Chorus.wav", 'inline; filename="Dawn Chorus.wav"'),
        ("field/2026/frog.flac", 'inline; filename="frog.flac"'),
        ("C:\\Users\\ana\\frog.flac", 'inline; filename="frog.flac"'),
        (
            'say "hi".wav',
            "inline; filename=\"say _hi_.wav\"; filename*=UTF-8''say%20%22hi%22.wav",
        ),
        ("100%.wav", "inline; filename=\"100_.wav\"; filename*=UTF-8''100%25.wav"),
        (
            "Grünfrosch 🐸.mp3",
            'inline; filename="Gr_nfrosch _.mp3"; '
            "filename*=UTF-8''Gr%C3%BCnfrosch%20%F0%9F%90%B8.mp3",
        ),
        (
            "a\r\nX-Evil: 1.wav",
            "inline; filename=\"a__X-Evil: 1.wav\"; filename*=UTF-8''a%0D%0AX-Evil%3A%201.wav",
        ),
    ],
)
def test_the_download_is_named_as_the_users_file_and_safely_quoted(filename, header):
    assert content_disposition(filename) == header
    assert header.isascii() and header.isprintable()
