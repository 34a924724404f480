"""From an exception to the one line a user reads and the exit code a script tests.

The commands raise what the kernel and the libraries raise; this module sorts those into the
convention of :mod:`thingscore.console` in one place, so that a new command follows it
without a try/except of its own. Library exceptions are recognised by class name (a redis or
pymongo connection error), so that nothing here imports a plugin's library.
"""

from __future__ import annotations

import errno

from thingscore.console import CommandError, Exit

#: Exception class names (anywhere in the class's MRO) that mean "a server did not answer".
UNREACHABLE_NAMES = frozenset({
    "ConnectionError", "ConnectionRefusedError", "ConnectionResetError", "TimeoutError", "TimeoutExpired",
    "ServerSelectionTimeoutError", "AutoReconnect", "NetworkTimeout", "PubSubError", "Unavailable", "NoReply",
    "BusyLoadingError",
})
#: Exception class names that mean "what was typed (or the file it names) is wrong".
USAGE_NAMES = frozenset({
    "PluginNotFound", "ConfigError", "AppSpecError", "SnapshotFileError", "KeysError", "UsageError",
    "PathEscape", "UnknownTarget", "ScheduleError",
})
#: Exception class names that mean "the program or the operation failed".
FAILED_NAMES = frozenset({"UntrustedReply", "JSSyntaxError", "DispatchError", "NotFound", "Refused", "SchedulerError"})

_UNREACHABLE_ERRNOS = {errno.ECONNREFUSED, errno.ECONNRESET, errno.EHOSTUNREACH, errno.ENETUNREACH,
                       errno.ETIMEDOUT, errno.ECONNABORTED}
_USAGE_OS_ERRORS = (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError, FileExistsError)

FIXES = {
    "ServerSelectionTimeoutError": "is the MongoDB server running at that URL?",
}


def _names(exc: BaseException) -> list[str]:
    return [cls.__name__ for cls in type(exc).__mro__]


def _text(exc: BaseException) -> str:
    text = " ".join(str(exc).split())  # one line, whatever the library put in its message
    if len(text) > 400:
        text = text[:400] + "..."
    return text or type(exc).__name__


def _os_error(exc: OSError) -> CommandError:
    where = f"{exc.filename}: " if exc.filename else ""
    cause = f"{where}{exc.strerror}" if exc.strerror else _text(exc)
    if isinstance(exc, _USAGE_OS_ERRORS):
        return CommandError(cause, Exit.USAGE)
    if exc.errno in _UNREACHABLE_ERRNOS:
        return CommandError(cause, Exit.UNREACHABLE, "is the server running, and is the address right?")
    return CommandError(cause, Exit.FAILED)


def explain(exc: BaseException) -> CommandError:
    """The :class:`CommandError` that says what went wrong with ``exc``, with its exit code."""
    if isinstance(exc, CommandError):
        return exc
    names = _names(exc)
    cause = _names(exc.__cause__) if exc.__cause__ is not None else []
    if "DispatchError" in names and "NoReply" in cause and "UntrustedReply" not in cause:
        return CommandError(_text(exc), Exit.UNREACHABLE)  # nobody answered: not a refusal
    if any(n in FAILED_NAMES for n in names[:1]):
        return CommandError(_text(exc), Exit.FAILED)
    if any(n in USAGE_NAMES for n in names):
        return CommandError(_text(exc), Exit.USAGE, next((FIXES[n] for n in names if n in FIXES), ""))
    if any(n in UNREACHABLE_NAMES for n in names):
        return CommandError(_text(exc), Exit.UNREACHABLE, next((FIXES[n] for n in names if n in FIXES), ""))
    if any(n in FAILED_NAMES for n in names):
        return CommandError(_text(exc), Exit.FAILED)
    if isinstance(exc, OSError):
        return _os_error(exc)
    return CommandError(f"internal error: {type(exc).__name__}: {_text(exc)}", Exit.FAILED,
                        "a bug in things: THINGS_DEBUG=1 shows the traceback; please report it")
