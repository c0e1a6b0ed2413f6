"""The browser app's Content-Security-Policy: one definition for the local UI and CloudFront.

The page holds the user's ID token in sessionStorage, so it runs only its own scripts and talks
only to the origins it needs: the API, the buckets (presigned uploads, tiles, audio, images) and,
in the cloud, the sign-in domain's token endpoint.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

# The only inline CSS the page may hold: the two fixed <style> elements Radix's scroll areas
# (Table, ScrollArea) and Select lists render to hide the native scrollbar, allowed by their
# SHA-256 (docs/security.md). Each must match node_modules' text byte for byte
# (tests/unit/test_csp.py checks); any other inline style stays refused. Radix's scroll lock
# writes its CSS through the CSSOM instead (frontend/src/radix/styleSingleton.ts).
RADIX_STYLES = tuple(
    f"[data-radix-{part}-viewport]{{scrollbar-width:none;-ms-overflow-style:none;"
    f"-webkit-overflow-scrolling:touch;}}[data-radix-{part}-viewport]::-webkit-scrollbar{{display:none}}"
    for part in ("scroll-area", "select")
)


def style_hash(css: str) -> str:
    """The CSP source allowing an inline ``<style>`` whose text is exactly ``css``."""
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return f"'sha256-{digest}'"


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
        "style-src": " ".join(["'self'", *map(style_hash, RADIX_STYLES)]),
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
