"""run_test_server.py: a seeded UI-test server on 127.0.0.1 that cleans up after itself."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "run_test_server.py"), *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def read_until(process: subprocess.Popen[str], marker: str) -> str:
    seen = ""
    assert process.stdout is not None  # started with stdout=PIPE
    for line in process.stdout:
        seen += line
        if marker in line:
            return seen
    raise AssertionError(f"server ended before printing {marker!r}:\n{seen}")


@pytest.mark.slow
def test_serves_seeded_posts_prints_accounts_and_removes_its_database_on_sigterm():
    process = start("--port", "0", "--posts", "12")
    try:
        banner = read_until(process, "Stop with Ctrl-C")
        found = re.search(r"http://127\.0\.0\.1:\d+", banner)
        assert found is not None, banner
        url = found.group(0)
        named = re.search(r"database: (\S+)", banner)
        assert named is not None, banner
        database = Path(named.group(1))
        assert "admin / admin-password / admin" in banner
        assert "poster / poster-password / poster" in banner
        assert "reader / reader-password / default" in banner
        assert database.exists()
        # An http URL made from the server's own banner, never user input.
        with urllib.request.urlopen(url + "/blog/", timeout=10) as response:  # noqa: S310
            page = response.read().decode()
        assert "Post 12" in page
        process.send_signal(signal.SIGTERM)
        rest = process.communicate(timeout=20)[0]
    finally:
        process.kill()
        process.wait()
        assert process.stdout is not None
        process.stdout.close()
    assert process.returncode == 0, rest
    assert "removed" in rest
    assert not database.parent.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "--port: must be 0 to 65535"),
        (["--posts", "-1"], "--posts: must be 0 to 10000"),
        (["--posts", "many"], "--posts: invalid int value"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(args, message, capsys):
    from run_test_server import main

    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_port_in_use_is_a_clear_error_and_leaves_no_database(capsys, tmp_path, monkeypatch):
    from run_test_server import main

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--port", str(port)]) == 2
    assert f"port {port} on 127.0.0.1 is in use" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
