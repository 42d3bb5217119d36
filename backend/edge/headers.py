"""Security headers on every response, 404s and errors too, with a CSP the PWA passes.

The app loads only its own files: scripts (the Pyodide PDF worker compiles WebAssembly,
hence ``'wasm-unsafe-eval'``), styles, workers, the manifest and fonts from this origin. Images
may also come from any https host (map tiles, offer pictures) and ``data:``/``blob:`` (the PDF
preview). Style *attributes* are allowed (the route map colours its markers with them);
style elements and inline scripts are not. No page may frame the app. The API docs at
``/schema`` run Swagger UI's inline start-up script, so they get their own policy, still
loading nothing from another origin.
"""

from __future__ import annotations

from litestar.types import Message, Scope

APP_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "style-src-attr 'unsafe-inline'; img-src 'self' data: blob: https:; connect-src 'self'; "
    "worker-src 'self' blob:; manifest-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), payment=(), usb=()"),
)


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A before_send hook: every HTTP response start gets the headers above (unless set)."""
    if message["type"] != "http.response.start":
        return
    path = scope.get("path", "")
    csp = DOCS_CSP if path == "/schema" or path.startswith("/schema/") else APP_CSP
    headers = list(message.get("headers") or [])
    present = {bytes(name).lower() for name, _ in headers}
    for name, value in (*_COMMON, (b"content-security-policy", csp.encode())):
        if name not in present:
            headers.append((name, value))
    message["headers"] = headers  # type: ignore[typeddict-unknown-key]
