"""Addresses kept for examples and tests (RFC 2606, RFC 6761), and this machine's own: mail sent
or a link followed there goes nowhere, so none may reach a reader. One test for the data schema
(report_contact) and the output checks (every built page)."""
from __future__ import annotations

import re

# A host: example.com/net/org, any name under .example, .invalid or .test, or this machine.
_HOST = r"(?:[a-z0-9-]+\.)*(?:example\.(?:com|net|org)|[a-z0-9-]+\.(?:example|invalid|test))|localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]"
# After '@' or '//' (a mail address, a link); example.com/net/org also in running text. The
# special names only after '@' or '//', so "blood.test" in prose is not one.
_IN_TEXT = re.compile(rf"(?:@|//)(?:{_HOST})(?!\.?[\w-])|(?<![\w-])example\.(?:com|net|org)(?!\.?[\w-])", re.I)
# Plain substring tests first: the pattern costs about 50 ms a MB, and the 16x site is 24 MB.
_HINTS = ("example.", ".example", ".invalid", ".test", "localhost", "127.0.0.1", "0.0.0.0", "[::")


def placeholder_in(text: str) -> str:
    """The first placeholder address in text (without its '@' or '//'), or ''."""
    lower = text.lower()
    found = _IN_TEXT.search(text) if any(hint in lower for hint in _HINTS) else None
    return found.group(0).lstrip("@/") if found else ""
