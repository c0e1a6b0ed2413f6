from chalicelib.events import Upload, uploads


def record(key: str, name: str = "ObjectCreated:Post") -> dict:
    return {
        "eventName": name,
        "s3": {
            "bucket": {"name": "recordings"},
            "object": {"key": key, "size": 42, "eTag": "abc123"},
        },
    }


def test_every_record_of_a_batch_is_read_and_keys_are_decoded_once():
    event = {"Records": [record("alice/dawn+chorus%2B1.wav"), record("bob/x%2520y.mp3")]}
    assert uploads(event) == [
        Upload("recordings", "alice/dawn chorus+1.wav", "abc123", 42),
        Upload("recordings", "bob/x%20y.mp3", "abc123", 42),
    ]


def test_test_events_and_deletions_announce_no_upload():
    test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "recordings"}
    assert uploads(test_event) == []
    assert uploads({"Records": [record("alice/a.wav", "ObjectRemoved:Delete")]}) == []
