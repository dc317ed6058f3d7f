"""One login for every door: password hashes, the signed session cookie, API tokens, throttling.

No Streamlit here, so the HTTP routes, the pages and the command line share it. The pages read the
cookie through ``st.context.cookies`` (``communes.signin.session_user``); the routes through
``identify(request, …)`` in ``communes.web.access``.

Passwords are stored as salted scrypt hashes (standard library), written by
``python -m communes passwd USER``; an unsalted SHA-256 value is refused with a message saying how to
migrate. The cookie holds the user name, signed with a secret and a timestamp (itsdangerous), so it
expires; it is HttpOnly, SameSite=Lax and Secure behind TLS. API tokens are ``NAME.SECRET``; only the
hash of each is stored, with its role.

>>> stored = hash_password("mật khẩu", n=2 ** 10)
>>> stored.startswith("scrypt$"), verify_password("mật khẩu", stored), verify_password("mat khau", stored)
(True, True, False)
"""
from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import re
import secrets as _secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "communes_session"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1  # ~0.1 s and 32 MiB per check on the development machine
SESSION_HOURS = 12
LIMIT = 5  # failures per user or per address before the wait
WAIT_FIRST = 30  # seconds after the 5th failure; doubles with each further failure
WAIT_MAX = 3600
FORGET_AFTER = 24 * 3600  # failures older than this (since the last one) are forgotten
FAILURES_FILE = "login-failures.json"  # in the database folder: the failures every replica counts
_LEGACY = re.compile(r"^[0-9a-fA-F]{64}$")


class LegacyHash(ValueError):
    """A stored password that is an unsalted SHA-256 hex digest: refused, with how to migrate."""

    def __init__(self, user: str):
        super().__init__(
            f"Mật khẩu của «{user}» đang lưu bằng SHA-256 không muối, không còn được chấp nhận. Quản trị viên: "
            f"chạy `python -m communes passwd {user}` (nhập mật khẩu), rồi thay giá trị trong "
            f".streamlit/secrets.toml [communes.passwords]. / The password of «{user}» is stored as unsalted "
            f"SHA-256, which is refused. Administrator: run `python -m communes passwd {user}`, type the "
            f"password and put the printed value in .streamlit/secrets.toml [communes.passwords].")
        self.user = user


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def hash_password(password: str, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64): the value to store for ``password``; a new salt each time."""
    salt = _secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 << 20, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def is_legacy(stored: str) -> bool:
    return bool(_LEGACY.match(stored.strip()))


def verify_password(password: str, stored: str, user: str = "") -> bool:
    """Whether ``password`` matches the stored scrypt value (constant-time compare).

    An unsalted SHA-256 value raises ``LegacyHash``; anything else unreadable is a mismatch.
    """
    stored = stored.strip()
    if is_legacy(stored):
        raise LegacyHash(user)
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             maxmem=256 << 20, dklen=len(want))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def check_user(user: str, password: str, passwords: dict[str, str]) -> bool:
    """The password check of a user name (any case) against ``[communes.passwords]``."""
    stored = {k.strip().lower(): v for k, v in passwords.items()}.get(user.strip().lower())
    if not stored:
        hashlib.scrypt(b"x", salt=b"0" * 16, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=256 << 20)  # same time
        return False
    return verify_password(password, stored, user.strip())


# --- the session cookie ---------------------------------------------------------------------------

def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="communes-session")


def make_cookie(user: str, secret: str) -> str:
    """The signed, timestamped value of the session cookie for ``user``; each one its own (a random part),
    so that ending one session (signing out) never ends another begun in the same second."""
    return _serializer(secret).dumps({"u": user, "n": _secrets.token_urlsafe(9)})


def read_cookie(value: str | None, secret: str, max_age: int = SESSION_HOURS * 3600,
                revoked: Revocations | None = None) -> str | None:
    """The user name in a session cookie, or None when it is missing, forged, expired or ended early
    (``revoked``: signed out, or every session of the user ended).

    >>> read_cookie(make_cookie("lanhdao", "k"), "k"), read_cookie(make_cookie("lanhdao", "k"), "other")
    ('lanhdao', None)
    """
    if not value or not secret:
        return None
    try:
        data, issued = _serializer(secret).loads(value, max_age=max_age, return_timestamp=True)
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    user = data.get("u") if isinstance(data, dict) else None
    if not isinstance(user, str) or (revoked is not None and revoked.ended(value, user, issued.timestamp())):
        return None
    return user


# --- API tokens -----------------------------------------------------------------------------------

def new_token(name: str) -> tuple[str, str]:
    """(token to give the client, value to store): the token is ``NAME.SECRET``."""
    token = f"{name}.{_secrets.token_urlsafe(32)}"
    return token, hash_password(token)


@dataclass
class TokenCheck:
    """Token → client name, checked against the stored hashes; a verified token is remembered by its
    SHA-256 (in memory only), so a client calling often does not pay scrypt each time."""

    seen: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def name(self, token: str, tokens: dict[str, dict]) -> str | None:
        name = token.split(".", 1)[0]
        entry = tokens.get(name)
        if not entry or "." not in token:
            return None
        key = hashlib.sha256(f"{entry.get('hash', '')}|{token}".encode()).hexdigest()
        with self.lock:
            if self.seen.get(key) == name:
                return name
        try:
            ok = verify_password(token, str(entry.get("hash", "")), name)
        except LegacyHash:
            return None
        if ok:
            with self.lock:
                if len(self.seen) > 1000:
                    self.seen.clear()
                self.seen[key] = name
        return name if ok else None


# --- throttling -----------------------------------------------------------------------------------

class Throttle:
    """Failed logins per key (a user name, an address): after ``LIMIT`` failures each further try waits
    ``WAIT_FIRST`` seconds, doubled with each failure after that (up to ``WAIT_MAX``).

    With ``store`` (a function giving a file's path: the server keeps it in the database folder), the
    failures are kept in that file, under a lock on it, so every process serving the same database
    counts the same failures: behind nginx, a guesser spread over N replicas waits as on one. Without it,
    they are kept in this process.

    >>> clock = [0.0]; th = Throttle(lambda: clock[0])
    >>> for _ in range(5): th.fail(["user:a"])
    >>> th.wait(["user:a"]), th.wait(["user:b"])
    (30.0, 0.0)
    >>> clock[0] = 31; th.fail(["user:a"]); th.wait(["user:a"])
    60.0
    """

    def __init__(self, clock=time.time, store=None):
        self.clock = clock
        self.store = store
        self.lock = threading.Lock()
        self.failures: dict[str, tuple[int, float]] = {}

    @contextmanager
    def _table(self, write: bool):
        """The failures, read (and written back when ``write``) under the lock of their file, if any."""
        with self.lock:
            if self.store is None:
                yield self.failures
                return
            with shared_json(Path(self.store()), write) as data:
                try:
                    table = {k: (int(n), float(t)) for k, (n, t) in data.items()}
                except (ValueError, TypeError, AttributeError):  # a damaged file counts nothing
                    table = {}
                yield table
                data.clear()
                data.update(table)

    def wait(self, keys) -> float:
        """Seconds to wait before the next try (0: may try now)."""
        now = self.clock()
        out = 0.0
        with self._table(write=False) as failures:
            for k in keys:
                n, last = failures.get(k, (0, 0.0))
                if n and now - last > FORGET_AFTER:
                    continue
                if n >= LIMIT:
                    out = max(out, last + min(WAIT_MAX, WAIT_FIRST * 2 ** (n - LIMIT)) - now)
        return float(max(out, 0.0))

    def fail(self, keys) -> None:
        now = self.clock()
        with self._table(write=True) as failures:
            for k in [k for k, (_, last) in failures.items() if now - last > FORGET_AFTER]:
                del failures[k]  # forgotten: the table holds the last day's failures only
            for k in keys:
                n, _ = failures.get(k, (0, 0.0))
                failures[k] = n + 1, now

    def succeed(self, keys) -> None:
        with self._table(write=True) as failures:
            for k in keys:
                failures.pop(k, None)


@contextmanager
def shared_json(path: Path, write: bool):
    """The JSON object in ``path``, read under a lock on the file (shared, or exclusive when ``write``) and,
    when ``write``, written back as the caller left it. A missing or damaged file reads as ``{}``: a
    damaged file never locks anyone out; it is written anew at the next change."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX if write else fcntl.LOCK_SH)
        fh.seek(0)
        try:
            data = json.loads(fh.read() or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        yield data
        if write:
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps(data))
            fh.flush()


REVOKED_FILE = "sessions-revoked.json"  # in the database folder: sessions ended before their time


class Revocations:
    """Sessions ended before they expire, for every process serving the same database folder (``store``:
    a function giving the file's path). A signed-out cookie is refused from then on (its digest is kept
    until it would have expired), and ``end_user`` ends every session of a user issued until then (a lost
    phone: ``python -m communes revoke USER``).

    >>> import tempfile; f = Path(tempfile.mkdtemp()) / REVOKED_FILE; rv = Revocations(lambda: f)
    >>> c = make_cookie("lanhdao", "k"); read_cookie(c, "k", revoked=rv)
    'lanhdao'
    >>> rv.end_session(c, 3600); read_cookie(c, "k", revoked=rv), read_cookie(make_cookie("lanhdao", "k"), "k", revoked=rv)
    (None, 'lanhdao')
    """

    def __init__(self, store, clock=time.time):
        self.store = store
        self.clock = clock

    @staticmethod
    def _digest(cookie: str) -> str:
        return hashlib.sha256(cookie.encode()).hexdigest()[:32]

    def end_session(self, cookie: str, seconds_left: float) -> None:
        now = self.clock()
        with shared_json(Path(self.store()), write=True) as data:
            sessions = {k: v for k, v in dict(data.get("sessions") or {}).items()
                        if isinstance(v, int | float) and v > now}  # the expired ones need no entry
            sessions[self._digest(cookie)] = now + seconds_left
            data["sessions"] = sessions

    def end_user(self, user: str) -> None:
        with shared_json(Path(self.store()), write=True) as data:
            users = dict(data.get("users") or {})
            users[user.strip().lower()] = int(self.clock())  # cookies carry whole seconds
            data["users"] = users

    def ended(self, cookie: str, user: str, issued: float) -> bool:
        path = Path(self.store())
        if not path.exists():
            return False
        with shared_json(path, write=False) as data:
            before = (data.get("users") or {}).get(user.strip().lower())
            return (self._digest(cookie) in (data.get("sessions") or {})
                    or (isinstance(before, int | float) and issued < before))


def secret_for(conf: dict) -> str:
    """The key that signs session cookies: ``[communes] session_secret`` (set it when several servers
    share the sessions), else Streamlit's cookie secret (``server.cookieSecret``)."""
    value = str(conf.get("session_secret", "") or "")
    if value:
        return value
    from streamlit.web.server.server_util import get_cookie_secret

    return get_cookie_secret()
