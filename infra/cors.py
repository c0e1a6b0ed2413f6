"""The buckets' browser CORS rules: one definition for the local cloud and the AWS stack.

The browser UI uploads straight to the recordings bucket (a presigned POST) and reads audio
and images through presigned GETs, so both buckets answer its origin alike on every stage.
"""

from __future__ import annotations


def cors_rules(*ui_origins: str) -> dict:
    """S3's ``CORSConfiguration`` for both buckets: each of ``ui_origins`` may upload and read."""
    return {
        "CORSRules": [
            {
                "AllowedOrigins": list(ui_origins),
                "AllowedMethods": ["POST", "PUT", "GET", "HEAD"],
                "AllowedHeaders": ["*"],
                # Content-Range: a tile is read by a Range request on its object.
                "ExposeHeaders": ["ETag", "Content-Range"],
                "MaxAgeSeconds": 3600,
            }
        ]
    }
