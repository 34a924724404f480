"""TLS and credentials in URLs, shared by the backends that speak TLS (mqtt, redis and the
redis FS): one place builds the client context, and the same mistake reads the same
everywhere (OpenSSL's messages name the alert, not the remedy). Passwords never appear in
messages: :func:`redact` takes them out of a URL.
"""

from __future__ import annotations

import ssl
from urllib.parse import urlparse

from thingscore.pubsub import PubSubError


def redact(url: str | None) -> str:
    """``url`` without its password, for messages and logs."""
    u = urlparse(url or "")
    if u.password is None:
        return url or ""
    netloc = f"{u.username}:***@{u.hostname}" + (f":{u.port}" if u.port else "")
    return u._replace(netloc=netloc).geturl()


def tls_context(ca: str | None, cert: str | None, key: str | None, what: str) -> ssl.SSLContext:
    """A client TLS context that verifies the server (against ``ca``, else the system's CAs) and
    names the host, with our certificate when given. Unreadable files fail here, by name,
    rather than as an obscure handshake error later."""
    try:
        ctx = ssl.create_default_context(cafile=ca)
    except (OSError, ssl.SSLError) as exc:
        raise PubSubError(f"{what}: cannot load the CA file ca={ca}: {exc}") from exc
    if cert:
        try:
            ctx.load_cert_chain(cert, key)
        except (OSError, ssl.SSLError) as exc:
            raise PubSubError(f"{what}: cannot load the client certificate cert={cert} key={key}: {exc}") from exc
    return ctx


def closed_after_handshake(cert: str | None, detail: str) -> str:
    """The words for a TLS connection the server closed right after our side of the handshake.

    Our side succeeded, so the server's certificate was good; with TLS 1.3 the server checks
    ours only afterwards, and mosquitto (and sometimes redis) just closes: no alert says why.
    """
    who = ("requires a client certificate: add cert= and key= to the URL" if not cert else
           f"refused our client certificate (cert={cert}): is it signed by a CA the server trusts?")
    return f"TLS: the server closed the connection right after the handshake, so it most likely {who} ({detail})"


def tls_hint(error: BaseException | str) -> str:
    """What a TLS failure most likely means, in words, followed by OpenSSL's own text.

    OpenSSL's messages name the alert, not the remedy; and with TLS 1.3 a client certificate
    refused by the server is only seen on the first read after the handshake. Shared by the
    TLS backends (mqtt, redis) so that the same mistake reads the same everywhere.
    """
    text = str(error)
    low = text.lower()
    if isinstance(error, ssl.SSLCertVerificationError) or "certificate_verify_failed" in low \
            or "certificate verify failed" in low:
        hint = ("the server's certificate is not trusted: is ca= the CA that signed it, and does it name this "
                "host?")
    elif "certificate required" in low:
        hint = "the server requires a client certificate: add cert= and key= to the URL"
    elif "unknown ca" in low:
        hint = "the server does not trust our client certificate (signed by a CA it does not know)"
    elif "bad certificate" in low or "certificate unknown" in low or "unsupported certificate" in low:
        hint = "the server refused our client certificate"
    elif any(s in low for s in ("wrong version number", "unexpected eof", "eof occurred", "packet length too long",
                                "record layer failure", "http request", "unknown protocol", "connection reset")):
        hint = "the TLS handshake failed: is this a TLS port (and not a plain one)?"
    else:
        hint = "the TLS connection failed"
    return f"TLS: {hint} ({text})"
