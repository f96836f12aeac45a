"""site/gunicorn.conf.py: its settings, and gunicorn actually serving the site with it."""

import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "site" / "gunicorn.conf.py"


def load_config(monkeypatch, **env):
    for key in [k for k in os.environ if k.startswith("GUNICORN_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(CONFIG))


def test_the_config_recycles_workers_and_logs_to_the_standard_streams(monkeypatch):
    config = load_config(monkeypatch)
    assert config["accesslog"] == "-" and config["errorlog"] == "-"
    assert config["max_requests"] == 1000 and config["max_requests_jitter"] == 100
    assert config["timeout"] == 60
    assert config["wsgi_app"] == "intranet.wsgi:application"
    assert [Path(p) for p in config["pythonpath"].split(",")] == [ROOT / "site", ROOT]
    assert config["workers"] == config["default_workers"](os.cpu_count())


def test_default_workers_are_two_per_core_plus_one_capped():
    default_workers = runpy.run_path(str(CONFIG))["default_workers"]
    assert [default_workers(n) for n in (1, 2, 3, 4, 16)] == [3, 5, 7, 8, 8]


def test_the_environment_overrides_the_config(monkeypatch):
    config = load_config(
        monkeypatch,
        GUNICORN_WORKERS="3",
        GUNICORN_TIMEOUT="120",
        GUNICORN_MAX_REQUESTS="500",
        GUNICORN_MAX_REQUESTS_JITTER="50",
        GUNICORN_BIND="0.0.0.0:9000",
    )
    assert (config["workers"], config["timeout"], config["max_requests"], config["max_requests_jitter"]) == (
        3,
        120,
        500,
        50,
    )
    assert config["bind"] == "0.0.0.0:9000"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_the_site_with_the_config(tmp_path):
    """gunicorn started as docs/deploy.md says (from another directory), one worker, test settings."""
    port = free_port()
    env = {
        **{k: os.environ[k] for k in ("PATH", "LANG") if k in os.environ},
        "HOME": str(tmp_path),  # gunicorn's control socket goes to ~/.gunicorn/
        "DJANGO_SETTINGS_MODULE": "intranet.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-c", str(CONFIG), "intranet.wsgi"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Generous: under a busy CI machine (two test workers on two cores) the first boot can be slow.
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/logg-inn/", timeout=5) as response:
                    status, headers = response.status, response.headers
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(f"gunicorn did not answer: {process.communicate(timeout=30)}")
                time.sleep(0.2)
        assert status == 200
        assert "Content-Security-Policy" in headers
    finally:
        process.terminate()
        stdout, stderr = process.communicate(timeout=30)
    assert '"GET /logg-inn/ HTTP/1.1" 200' in stdout  # the access log, on stdout
    assert "Booting worker" in stderr  # gunicorn's own log, on stderr
