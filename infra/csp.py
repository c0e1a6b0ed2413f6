"""The browser app's Content-Security-Policy: one definition for the local UI and CloudFront.

The page holds the user's ID token in sessionStorage, so it runs only its own scripts and talks
only to the origins it needs: the API, the buckets (presigned uploads, tiles, audio, images) and,
in the cloud, the sign-in domain's token endpoint.
"""

from __future__ import annotations

from collections.abc import Sequence


def content_security_policy(
    *, api_origin: str, bucket_origins: Sequence[str], sign_in_origin: str | None = None
) -> str:
    """The header's value for a UI talking to ``api_origin`` and ``bucket_origins``.

    Origins are ``scheme://host[:port]`` without a path. ``sign_in_origin`` is the Cognito
    domain whose /oauth2/token the page calls (cloud stage only).
    """
    fetched = " ".join(["'self'", api_origin, *bucket_origins, *filter(None, [sign_in_origin])])
    buckets = " ".join(bucket_origins)
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "connect-src": fetched,
        # Tiles are decoded from blobs; the page's icon is a data: URL.
        "img-src": f"'self' blob: data: {buckets}",
        "media-src": f"'self' blob: {buckets}",
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())
