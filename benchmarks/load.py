"""A bounded load run on loopback: concurrent users reading pages and writing follow-ups.

Run with `.venv/bin/python benchmarks/load.py [--users 100] [--seconds 60] [--writes 0.1]`.
With DATABASE_URL set to a PostgreSQL server it makes a database of its own there
(`ik_load`, dropped first); without it, SQLite in a temporary directory. It migrates, loads the
demo, starts Gunicorn with the production configuration (`deploy/gunicorn.conf.py`: processes
and threads for the cores), logs every virtual user in with a session of its own, and lets them
loop until the time is up: mostly reads of the key pages, and a share of follow-up reports
through the same form a person uses. Every user logs in first, and the clock starts when all
have (a password's hash is slow on purpose; the logins are not counted). Then it prints
throughput, latency percentiles per page and in all, the errors, the CPU time per request of
Gunicorn, of the database's backends and of this client, and checks that every write the
server accepted is in the database.

Not a test: nothing is asserted; a lost write or a server error is printed and makes the exit
status 1. The client runs in one process with asyncio (aiohttp), so it takes little of the cores
the server is measured on; the figures still include the client's share of a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DATABASE_NAME = "ik_load"

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
STALE = "efter att du öppnade formuläret"  # in the message of a refused stale edit
PERIOD = re.compile(r'<option value="(\d+)"[^>]*selected')

# Share of each read among the reads; writes come on top, as --writes of all requests.
READS = {
    "Mina uppgifter": 3,
    "risklista": 3,
    "risk": 4,
    "plan": 1,
    "alla nämnder": 1,
    "sök": 1,
    "uppföljningstavla": 1,
}


def database_url(name: str = DATABASE_NAME) -> str:
    """The run's own database: a fresh one on DATABASE_URL's server, or SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return ""
    import psycopg

    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def prepare(env: dict[str, str]) -> None:
    for command in (["migrate", "--no-input"], ["demo"]):
        subprocess.run(  # noqa: S603 - our own command
            [str(BIN / "ik"), *command], env=env, check=True, capture_output=True
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Targets:
    """What one virtual user reads and writes: only what that person may, looked up before
    the run with Django's test client, so that a refusal during the run is a fault."""

    reads: dict[str, list[str]]
    reportable: list[str]  # report forms of actions the person may report on


def targets() -> dict[str, Targets]:
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from internkontroll.accounts.models import User
    from internkontroll.plans.models import ControlPlan
    from internkontroll.risks.models import Action, Risk

    plans = list(ControlPlan.objects.order_by("-year", "id")[:10])
    candidates = {
        "Mina uppgifter": [reverse("followups:mine")],
        "risklista": [
            f"{reverse('risks:overview')}?unit={plan.unit_id}&year={plan.year}" for plan in plans
        ],
        "risk": [
            reverse("risks:detail", args=[pk])
            for pk in Risk.objects.order_by("id").values_list("id", flat=True)[:40]
        ],
        "plan": [reverse("plans:detail", args=[plan.pk]) for plan in plans],
        "alla nämnder": [reverse("organisation:overview")],
        "sök": [f"{reverse('search:results')}?q={word}" for word in ("risk", "kontroll")],
        "uppföljningstavla": [f"{reverse('followups:board')}?plan={plan.pk}" for plan in plans],
    }
    found = {}
    client = Client()
    logging.disable(logging.WARNING)  # the refusals looked for here are not news
    for person in User.objects.filter(is_active=True, role_assignments__isnull=False).distinct():
        client.force_login(person)
        reads = {
            name: [url for url in urls if client.get(url).status_code == 200]
            for name, urls in candidates.items()
        }
        reportable = [
            reverse("followups:report_action", args=[pk])
            # A closed plan refuses reports: its actions are not what people report on.
            for pk in Action.objects.reportable_by(person)
            .filter(risk__plan__closed_at__isnull=True)
            .values_list("pk", flat=True)[:50]
        ]
        found[person.username] = Targets({k: v for k, v in reads.items() if v}, reportable)
    return found


@dataclass
class Answer:
    status_code: int
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


class Browser:
    """One virtual user: a connection kept open and a session cookie.

    On aiohttp rather than httpx: httpx took 2.3 ms of CPU per request on PostgreSQL's run,
    a tenth of what the server needed on the same two cores; aiohttp takes 1.0 ms.
    """

    def __init__(self, base: str) -> None:
        import aiohttp

        self.base = base
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies of an IP address
            connector=aiohttp.TCPConnector(limit=1),
            timeout=aiohttp.ClientTimeout(total=60),
        )

    def set_cookie(self, name: str, value: str) -> None:
        from yarl import URL

        self.session.cookie_jar.update_cookies({name: value}, URL(self.base))

    async def request(self, method: str, url: str, data: dict[str, str] | None = None) -> Answer:
        async with self.session.request(
            method, self.base + url, data=data, allow_redirects=False
        ) as response:
            return Answer(response.status, await response.read())

    async def get(self, url: str) -> Answer:
        return await self.request("GET", url)

    async def post(self, url: str, data: dict[str, str]) -> Answer:
        return await self.request("POST", url, data)

    async def aclose(self) -> None:
        await self.session.close()


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    refused: int = 0

    def record(self, name: str, seconds: float, status: int, url: str, method: str) -> None:
        """A request's time, and an error where a page read is not the page itself: a redirect
        (to the login, say) would be a quick wrong answer. The answers to a report sent are
        judged by `write`, and a report the server took is looked up at the end."""
        self.times[name].append(seconds)
        if method == "GET" and status != 200:
            self.errors.append(f"{status} {url}")


async def request(
    client: Browser,
    tally: Tally,
    name: str,
    method: str,
    url: str,
    data: dict[str, str] | None = None,
) -> Answer | None:
    started = time.perf_counter()
    try:
        response = await client.request(method, url, data)
    except Exception as problem:  # counted, never raised
        tally.errors.append(f"{type(problem).__name__} {url}")
        return None
    tally.record(name, time.perf_counter() - started, response.status_code, url, method)
    return response


async def log_in(client: Browser, username: str, password: str) -> bool:
    page = await client.get("/konto/logga-in/")
    token = CSRF.search(page.text)
    if not token:
        return False
    answer = await client.post(
        "/konto/logga-in/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
    )
    return bool(answer.status_code == 302)


def report(form: str, marker: str) -> dict[str, str] | None:
    """What a person fills in on an action's report form (as its HTML `form` offers it),
    with `marker` as the comment; None if the form lacks a field it should have."""
    csrf, version, period = CSRF.search(form), VERSION.search(form), PERIOD.search(form)
    if not (csrf and version and period):
        return None
    return {
        "csrfmiddlewaretoken": csrf[1],
        "version": version[1],
        "period": period[1],
        "date": time.strftime("%Y-%m-%d"),
        "status": "in_progress",
        "on_track": "yes",
        "comment": marker,
    }


async def write(client: Browser, tally: Tally, url: str) -> None:
    form = await request(client, tally, "rapportformulär", "GET", url)
    if form is None or form.status_code != 200:
        return
    marker = f"last-{uuid.uuid4().hex}"
    data = report(form.text, marker)
    if data is None:
        tally.errors.append(f"formuläret saknar fält: {url}")
        return
    answer = await request(client, tally, "rapportera", "POST", url, data=data)
    if answer is None:
        return
    if answer.status_code == 302:
        tally.accepted.append(marker)
    elif answer.status_code == 422 and STALE in answer.text:
        tally.refused += 1  # someone reported on the same action first: refused, not lost
    else:
        tally.errors.append(f"{answer.status_code} på rapporten {url}")


def stat_fields(pid: int | str) -> list[str]:
    """The fields of /proc/PID/stat after the process's name, from its state on (Linux)."""
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """CPU time of a process with its children, reaped or still running (Linux's /proc)."""
    try:
        own = stat_fields(pid)
    except OSError:
        return 0.0
    total = sum(int(value) for value in own[11:15])  # utime stime cutime cstime
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                child = stat_fields(entry)
            except OSError:
                continue
            if int(child[1]) == pid:
                total += int(child[11]) + int(child[12])
    return total / os.sysconf("SC_CLK_TCK")


class DatabaseClock:
    """CPU time of the PostgreSQL backends serving the run's database, by their process titles
    (none on SQLite), read every half second while the run lasts.

    A backend ends during the run when Gunicorn replaces the process whose connection it served
    (after max_requests); its time is kept as last read, so at most its last half second is
    missed. Backends are told apart by process id and start time."""

    EVERY = 0.5

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], float] = {}

    def read(self) -> float:
        """Read the living backends; the time of every backend seen so far."""
        ticks = os.sysconf("SC_CLK_TCK")
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                        title = cmdline.read()
                    if title.startswith(b"postgres:") and f" {DATABASE_NAME} ".encode() in title:
                        own = stat_fields(entry)
                        self.seen[entry, own[19]] = (int(own[11]) + int(own[12])) / ticks
                except OSError:
                    continue
        return sum(self.seen.values())

    async def keep_reading(self, until: float) -> None:
        while time.perf_counter() < until:
            self.read()
            await asyncio.sleep(self.EVERY)


@dataclass
class Run:
    base: str
    args: argparse.Namespace
    tally: Tally
    server_pid: int = 0
    started: float = 0.0
    deadline: float = 0.0
    cpu_at_start: tuple[float, float, float] = (0.0, 0.0, 0.0)
    database_clock: DatabaseClock = field(default_factory=DatabaseClock)

    def cpu_now(self) -> tuple[float, float, float]:
        """CPU seconds so far of the server, the database and this client."""
        return cpu_seconds(self.server_pid), self.database_clock.read(), time.process_time()


async def user(run: Run, client: Browser, targets: Targets) -> None:
    args, tally = run.args, run.tally
    names, weights = zip(*[(n, w) for n, w in READS.items() if n in targets.reads], strict=True)
    while time.perf_counter() < run.deadline:
        if targets.reportable and random.random() < args.writes:  # noqa: S311
            await write(client, tally, random.choice(targets.reportable))  # noqa: S311
            continue
        name = random.choices(names, weights)[0]  # noqa: S311
        await request(client, tally, name, "GET", random.choice(targets.reads[name]))  # noqa: S311
        if args.think:
            await asyncio.sleep(args.think)


def sessions_without_password(chosen: list[str]) -> list[str]:
    """A logged-in session of its own per virtual user, made as Django's login makes one but
    without the password's hash: a hundred logins otherwise take a minute of both cores."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from internkontroll.accounts.models import User

    people = {person.username: person for person in User.objects.filter(username__in=chosen)}
    keys = []
    for name in chosen:
        session = SessionStore()
        session[SESSION_KEY] = str(people[name].pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = people[name].get_session_auth_hash()
        session.create()
        keys.append(str(session.session_key))
    return keys


async def everyone(
    run: Run, chosen: list[str], found: dict[str, Targets], sessions: list[str] | None = None
) -> float:
    """Log every virtual user in, then start the clock and run them; the logins' seconds.

    The logins come before the measured time: a password's deliberately slow hash, a hundred
    times at once, would otherwise take the first seconds of it, and they are not counted.
    With `sessions` each user starts with that session instead of logging in.
    """
    from django.conf import settings

    from internkontroll.exchange.management.commands.demo import DEMO_PASSWORD

    clients = [Browser(run.base) for _ in chosen]
    for client, key in zip(clients, sessions or [], strict=False):
        client.set_cookie(settings.SESSION_COOKIE_NAME, key)
    # A few at a time, so that none waits out its timeout behind the others' hashes.
    at_once = asyncio.Semaphore(8)

    async def logged_in(client: Browser, name: str) -> bool:
        if sessions:
            return True
        async with at_once:
            return await log_in(client, name, DEMO_PASSWORD)

    try:
        started = time.perf_counter()
        logins = await asyncio.gather(
            *(logged_in(client, name) for client, name in zip(clients, chosen, strict=True)),
            return_exceptions=True,
        )
        login_seconds = time.perf_counter() - started
        ready = []
        for client, name, answer in zip(clients, chosen, logins, strict=True):
            if answer is True:
                ready.append((client, found[name]))
            else:
                problem = type(answer).__name__ if isinstance(answer, BaseException) else ""
                run.tally.errors.append(f"inloggningen misslyckades: {name} {problem}")
        run.cpu_at_start = run.cpu_now()
        run.started = time.perf_counter()
        run.deadline = run.started + run.args.seconds
        await asyncio.gather(
            run.database_clock.keep_reading(run.deadline),
            *(user(run, client, targets) for client, targets in ready),
        )
        return login_seconds
    finally:
        for client in clients:
            await client.aclose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def print_figures(tally: Tally, seconds: float, args: argparse.Namespace) -> None:
    every = [value for values in tally.times.values() for value in values]
    print(f"\n{args.users} användare, {seconds:.0f} s, {len(every)} anrop")
    print(f"genomströmning: {len(every) / seconds:.1f} anrop/s")
    print(f"{'sida':<18}{'antal':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, values in [*sorted(tally.times.items()), ("alla", every)]:
        if values:
            print(
                f"{name:<18}{len(values):>8}{statistics.median(values) * 1000:>9.0f}"
                f"{percentile(values, 0.95) * 1000:>9.0f}{percentile(values, 0.99) * 1000:>9.0f}"
            )
    print(f"fel: {len(tally.errors)}")
    for line in sorted(set(tally.errors))[:20]:
        print(f"  {line}")
    print(f"skrivningar godtagna: {len(tally.accepted)}, avvisade som inaktuella: {tally.refused}")


def lost_writes(markers: list[str]) -> int:
    from internkontroll.followups.models import FollowUp

    found = 0
    for start in range(0, len(markers), 500):
        found += FollowUp.objects.filter(comment__in=markers[start : start + 500]).count()
    return len(markers) - found


def prepared_environment(name: str = DATABASE_NAME) -> dict[str, str]:
    """A database of the run's own, migrated and holding the demo; the environment that
    points at it, for the processes the run starts and (set here too) for this one."""
    env = dict(os.environ)
    url = database_url(name)
    if url:
        env["DATABASE_URL"] = url
    else:
        env.pop("DATABASE_URL", None)
        env["IK_DATA_DIR"] = tempfile.mkdtemp(prefix="ik-load-")
    env.setdefault("IK_LOG_LEVEL", "WARNING")
    # Connections kept between requests for the whole run (production keeps them a minute).
    env.setdefault("IK_DB_CONN_MAX_AGE", "600")
    prepare(env)
    os.environ.update({key: value for key, value in env.items() if key != "DATABASE_URL"})
    if url:
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internkontroll.settings")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--writes", type=float, default=0.1, help="share of writes")
    parser.add_argument("--think", type=float, default=0.0, help="pause between reads (s)")
    parser.add_argument(
        "--no-login",
        action="store_true",
        help="give each user a session made directly in the database instead of logging in",
    )
    args = parser.parse_args()

    env = prepared_environment()
    found = targets()
    people = sorted(found)

    port = free_port()
    server_log = (
        Path(env.get("IK_DATA_DIR") or tempfile.mkdtemp(prefix="ik-load-")) / "gunicorn.log"
    )
    server = subprocess.Popen(  # noqa: S603 - our own server
        [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py")],
        env={**env, "IK_WEB_BIND": f"127.0.0.1:{port}"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=server_log.open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base)
        tally = Tally()
        run = Run(base, args, tally, server_pid=server.pid)
        chosen = [people[n % len(people)] for n in range(args.users)]
        sessions = sessions_without_password(chosen) if args.no_login else None
        login_seconds = asyncio.run(everyone(run, chosen, found, sessions))
        seconds = time.perf_counter() - run.started
        used = [end - start for start, end in zip(run.cpu_at_start, run.cpu_now(), strict=True)]
        print(
            f"gunicorn: {env.get('IK_WEB_WORKERS', 'standard')} processer × "
            f"{env.get('IK_WEB_THREADS', 'standard')} trådar; "
            f"inloggningarna före mätningen: {login_seconds:.1f} s"
        )
        print_figures(tally, seconds, args)
        requests = max(1, sum(len(values) for values in tally.times.values()))
        print(
            "cpu per anrop: "
            + ", ".join(
                f"{name} {value * 1000 / requests:.1f} ms"
                for name, value in zip(("servern", "databasen", "klienten"), used, strict=True)
            )
            + f"; maskinens belastning {os.getloadavg()[0]:.1f}"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    lost = lost_writes(tally.accepted)
    print(f"förlorade skrivningar: {lost}")
    if tally.errors:
        print(f"serverns logg: {server_log}")
    sys.exit(1 if lost or tally.errors else 0)


def wait_for(base: str) -> None:
    import urllib.request

    for _ in range(120):
        try:
            # Not /halsa/: it fails while no worker runs, and none is needed here.
            with urllib.request.urlopen(f"{base}/konto/logga-in/", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("Gunicorn svarade inte inom en minut.")


if __name__ == "__main__":
    main()
