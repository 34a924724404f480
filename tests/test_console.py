"""thingscore.console and thingscore.errors: sizes for people, progress only on a terminal, and
every kind of error sorted into the exit-code convention."""

from __future__ import annotations

import errno
import io

import pytest

from thingscore.console import CommandError, Exit, Progress, human_bytes, table
from thingscore.control.client import NoReply, UntrustedReply
from thingscore.control.config import ClusterUnreachable, ConfigError
from thingscore.control.dispatcher import DispatchError, UnknownTarget
from thingscore.errors import explain
from thingscore.parsing import JSSyntaxError
from thingscore.plugins import PluginNotFound


@pytest.mark.parametrize(("value", "shown"), [
    (49299456.0, "47.0 MiB"), (0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (3 * 1024 ** 3, "3.0 GiB"),
    (None, ""), ("x", ""), (float("nan"), ""), (-5, ""),
])
def test_human_bytes(value: object, shown: str) -> None:
    assert human_bytes(value) == shown


def test_table_shows_sizes_and_labels() -> None:
    out = io.StringIO()
    table([{"id": "a", "rss": 49299456.0, "labels": {"camera": "true"}}], [("id", "ID"), ("rss", "RSS"),
                                                                            ("labels", "LABELS")],
          formats={"rss": human_bytes}, out=out)
    assert out.getvalue().splitlines() == ["ID  RSS       LABELS", "a   47.0 MiB  camera=true"]


def test_progress_is_silent_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with Progress("work", total=3) as bar:
        for _ in range(3):
            bar.advance()
        bar.update(completed=3, description="done")
    assert capsys.readouterr() == ("", "")


class _Unrelated(Exception):
    pass


class ServerSelectionTimeoutError(Exception):  # pymongo's, by name
    pass


def _dispatch_error(cause: BaseException) -> DispatchError:
    try:
        raise DispatchError(f"failed: {cause}") from cause
    except DispatchError as exc:
        return exc


@pytest.mark.parametrize(("exc", "code"), [
    (CommandError("x", Exit.INCOMPLETE), Exit.INCOMPLETE),
    (PluginNotFound("no parser plugin named 'x'"), Exit.USAGE),
    (ConfigError("bad"), Exit.USAGE),
    (UnknownTarget("no worker 'x'"), Exit.USAGE),
    (FileNotFoundError(errno.ENOENT, "No such file or directory", "a.js"), Exit.USAGE),
    (JSSyntaxError("a.js:1:2: Unexpected token", 1, 2, 1), Exit.FAILED),
    (DispatchError("worker w: refused"), Exit.FAILED),
    (_dispatch_error(NoReply("no reply")), Exit.UNREACHABLE),
    (_dispatch_error(UntrustedReply("refused: unsigned")), Exit.FAILED),
    (ClusterUnreachable("cannot reach"), Exit.UNREACHABLE),
    (ServerSelectionTimeoutError("127.0.0.1:1: connection refused"), Exit.UNREACHABLE),
    (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), Exit.UNREACHABLE),
    (_Unrelated("boom"), Exit.FAILED),
])
def test_every_error_has_its_exit_code(exc: BaseException, code: Exit) -> None:
    error = explain(exc)
    assert error.code == code
    line = error.line("dispatch")
    assert line.startswith("things dispatch: ") and "\n" not in line


def test_an_unknown_error_is_called_a_bug_with_the_way_to_report_it() -> None:
    line = explain(_Unrelated("boom")).line("exec")
    assert "internal error: _Unrelated: boom" in line and "THINGS_DEBUG=1" in line
