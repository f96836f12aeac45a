"""Real servers for the production tests and `make bench ARGS="--http"`: PostgreSQL, Redis, gunicorn.

Everything listens on 127.0.0.1 on a port the kernel reports free, and every process started here is
stopped by the ``stop()`` of the object that started it (terminate, then kill after a grace period), so a
failing test or an interrupted benchmark leaves nothing running. gunicorn runs as docs/deploy.md says:
``gunicorn -c site/gunicorn.conf.py intranet.wsgi`` with ``intranet.settings.production`` and its settings
from the environment (``production_env``).

Not a test module (no ``test_`` functions): tests/production/test_two_app_servers.py and
tests/perf/http_bench.py import it.
"""

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = REPO / "site" / "gunicorn.conf.py"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
#: The secret key both app servers share (sessions and password hashes in session data need the same one).
TEST_SECRET_KEY = "two-app-servers-test-key-" + "x" * 40


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, what, timeout=60):
    """Wait until ``port`` accepts connections; fail with the process's output if it died or took too long."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{what} exited with {process.returncode}: {read_output(process)}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not listen on port {port} within {timeout} s") from None
            time.sleep(0.2)


def read_output(process):
    try:
        out, err = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        return "(no output: still running)"
    return f"{out or ''}\n{err or ''}".strip()


def stop_process(process, grace=30):
    """Terminate ``process`` (SIGTERM: gunicorn and redis shut down cleanly), kill it after ``grace`` seconds."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# -- Redis -------------------------------------------------------------------------------------------------
def redis_available():
    return os.access(REDIS_SERVER, os.X_OK)


class Redis:
    """A redis-server on 127.0.0.1:<free port>, in memory only (no RDB/AOF files)."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="faggruppe-redis-")
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for_port(self.port, self.process, "redis-server", timeout=30)
        except BaseException:
            self.stop()
            raise

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self, *args):
        """Run one command with redis-cli (next to redis-server) and return its output."""
        cli = Path(REDIS_SERVER).with_name("redis-cli")
        done = subprocess.run(
            [str(cli), "-h", "127.0.0.1", "-p", str(self.port), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return done.stdout.strip()

    def flush(self):
        self.command("FLUSHALL")

    def stats(self):
        """Keyspace hits and misses so far (INFO stats)."""
        info = self.command("INFO", "stats")
        values = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
        return {"hits": int(values.get("keyspace_hits", 0)), "misses": int(values.get("keyspace_misses", 0))}

    def stop(self):
        stop_process(self.process, grace=10)
        shutil.rmtree(self.dir, ignore_errors=True)


# -- PostgreSQL (scripts/with-postgres.sh's logic, for the benchmark) ----------------------------------------
class PostgresCluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1:<free port> with an empty database ``faggruppe``."""

    def __init__(self, database="faggruppe"):
        bins = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"),
            key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()],
        )
        pg_bin = Path(os.environ["PG_BIN"]) if os.environ.get("PG_BIN") else (bins[-1] if bins else None)
        if pg_bin is None or not (pg_bin / "initdb").exists():
            raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql).")
        self.bin = pg_bin
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="faggruppe-pg-")
        # initdb refuses to run as root: then the cluster runs as the postgres OS user.
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.run_as:
            shutil.chown(self.dir, "postgres", "postgres")
        self.started = False
        try:
            self._run("initdb", "-D", self.dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
            options = (
                f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c max_connections=100"
            )
            self._run("pg_ctl", "-D", self.dir, "-w", "-l", f"{self.dir}/server.log", "-o", options, "start")
            self.started = True
            self._run(
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-X",
                "-q",
                "-c",
                f'CREATE DATABASE "{database}"',
            )
        except BaseException:
            self.stop()
            raise
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program, *args):
        done = subprocess.run([*self.run_as, str(self.bin / program), *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stdout}\n{done.stderr}")

    def version(self):
        done = subprocess.run([str(self.bin / "postgres"), "--version"], capture_output=True, text=True)
        match = re.search(r"\d+(\.\d+)+", done.stdout)
        return match.group(0) if match else "?"

    def stop(self):
        if self.started:
            subprocess.run(
                [*self.run_as, str(self.bin / "pg_ctl"), "-D", self.dir, "-m", "fast", "-w", "stop"],
                capture_output=True,
            )
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)


# -- the site under production settings ----------------------------------------------------------------------
def production_env(database_url, cache_url, static_root, home, **extra):
    """The environment of a production app server on plain HTTP on 127.0.0.1 (docs/deploy.md's variables)."""
    env = {
        **{k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ") if k in os.environ},
        "HOME": str(home),  # gunicorn's control socket goes to ~/.gunicorn/
        "DJANGO_SETTINGS_MODULE": "intranet.settings.production",
        "SECRET_KEY": TEST_SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(Path(home) / "media"),
        # Plain HTTP straight to gunicorn: no secure cookies, no HTTPS redirect or HSTS, no proxy in front.
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "FAGGRUPPE_PROXY_COUNT": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": f"{REPO / 'site'}{os.pathsep}{REPO}",
    }
    if cache_url:
        env["CACHE_URL"] = cache_url
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, timeout=900):
    """``python manage.py <args>`` in a subprocess with ``env``; raises with its output when it fails."""
    done = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def collectstatic(env):
    """The manifest whitenoise's storage needs in production (``STATIC_ROOT`` of ``env``)."""
    manage(env, "collectstatic", "--noinput", "-v", "0")


class Gunicorn:
    """gunicorn -c site/gunicorn.conf.py intranet.wsgi on 127.0.0.1:<free port> with ``env``."""

    def __init__(self, env, workers=2, max_requests=None, log_dir=None):
        self.port = free_port()
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": str(workers)}
        if max_requests is not None:
            env["GUNICORN_MAX_REQUESTS"] = str(max_requests)
        # The access log of thousands of benchmark requests goes to a file, not a pipe nobody reads.
        self.log_dir = Path(log_dir or tempfile.mkdtemp(prefix="faggruppe-gunicorn-"))
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.stdout = open(self.log_dir / f"gunicorn-{self.port}.out", "w")  # noqa: SIM115
        self.stderr = open(self.log_dir / f"gunicorn-{self.port}.err", "w")  # noqa: SIM115
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "-c", str(GUNICORN_CONFIG), "intranet.wsgi"],
            cwd=env["HOME"],
            env=env,
            stdout=self.stdout,
            stderr=self.stderr,
        )
        try:
            wait_for_port(self.port, self.process, "gunicorn", timeout=90)
            # Listening is not serving yet: wait for a worker to answer (the first boot imports Wagtail).
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(self.url("/logg-inn/"), timeout=10) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not serve /logg-inn/: {self.errors()}")
                time.sleep(0.3)
        except BaseException:
            self.stop()
            raise

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def errors(self):
        self.stderr.flush()
        return (self.log_dir / f"gunicorn-{self.port}.err").read_text(errors="replace")[-5000:]

    def stop(self):
        stop_process(self.process)
        for stream in (self.stdout, self.stderr):
            stream.close()


# -- a browser-less visitor ---------------------------------------------------------------------------------
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Visitor:
    """A visitor with a cookie jar that can be sent to any of the servers (same host, different ports).

    Cookies are set for 127.0.0.1 without a port, as a browser keeps them: a session made through one
    server is sent to the others, as a load balancer in front of them would see it.
    """

    def __init__(self, host=None):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        #: The Host header of every request: behind a load balancer every app server gets the site's one name
        #: (nginx: ``proxy_set_header Host $host``), not its own address and port.
        self.host = host

    def request(self, url, data=None, headers=None):
        """(status, headers, body text); redirects are not followed (3xx is returned as it is)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {**({"Host": self.host} if self.host else {}), **(headers or {})}
        req = urllib.request.Request(url, data=body, headers=headers)
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def get(self, url):
        return self.request(url)

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def log_in(self, base_url, username, password):
        """Through the real login form: GET it (CSRF cookie and token), POST it; raises unless it redirects."""
        status, _headers, body = self.get(f"{base_url}/logg-inn/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match:
            raise RuntimeError(f"no login form at {base_url}/logg-inn/ (status {status})")
        status, headers, body = self.request(
            f"{base_url}/logg-inn/",
            {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password},
            headers={"Referer": f"{base_url}/logg-inn/"},
        )
        if status != 302 or not self.cookie("sessionid"):
            raise RuntimeError(f"logging in as {username} failed: status {status}\n{body[:2000]}")
        return self.cookie("sessionid")
