"""Personal-link tokens out of every log line (issue 17, finding 7).

A registration's personal link (`/aanmelding/<token>/…`) and the results-email unsubscribe link
(`/afmelden/<token>/`) are credentials: whoever has the link can see, change or cancel that
registration. Django writes the request path into its own log lines (CSRF refusals, "Not Found", the
429 of the rate limit, 5xx tracebacks), and gunicorn's access log writes the request line.
`RedactTokensFilter` replaces the token in any such line with a placeholder; settings.LOGGING puts it
on every handler Django configures, and gunicorn.conf.py puts it on gunicorn's error and access logs.
"""

from __future__ import annotations

import logging
import re

PLACEHOLDER = "[persoonlijke-code]"

# The token sits in the path segment after one of these; any prefix (/en/, a host) may come before.
_PERSONAL_PATH = re.compile(r"(/(?:aanmelding|afmelden)/)[^/\s?#\"'<>]+")
# A token on its own (e.g. in a query string or a message naming it): secrets.token_urlsafe(32) gives
# 43 URL-safe characters.
_BARE_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


def redact(text: str) -> str:
    """`text` with every personal-link token replaced by the placeholder."""
    return _BARE_TOKEN.sub(PLACEHOLDER, _PERSONAL_PATH.sub(r"\1" + PLACEHOLDER, text))


class RedactTokensFilter(logging.Filter):
    """Formats the record's message once, redacted, so no handler can print the token.

    The traceback text of an exception is redacted too (Django's 500 log includes the request path in
    its message and, with `exc_info`, a traceback whose locals are not logged but whose text is).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the line
            message = str(record.msg)
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        # Django's request logs carry the request; its repr is not printed by our formatters, but a
        # custom handler might, so the path on it is left alone and only the text is redacted.
        return True
