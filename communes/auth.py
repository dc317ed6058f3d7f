"""Login and roles: who may see which units, and who may change the data.

Off by default (the local sample): everyone is a leader. A deployment turns it on in
``.streamlit/secrets.toml`` (ignored by git)::

    [communes]
    login = "oidc"          # st.login with the [auth] provider Streamlit documents
    # login = "password"    # no identity provider: users and password hashes below
    [communes.passwords]    # password mode only: user name → `python -m communes passwd USER`
    lanhdao = "scrypt$32768$8$1$…"

The session (cookie), the password hashes, API tokens and throttling are in ``communes.web.session``.

Roles come from the roles file (setting ``roles_file``), keyed by user name or e-mail:
``leader`` sees everything; ``unit_viewer`` sees only its own units' pages and rows,
downloads and briefings included; ``steward`` is a leader who may also upload and roll back.

>>> u = User("ubnd.phongquang", "unit_viewer", ("19873",))
>>> u.allowed(["19873", "19885"]), u.can_see("19885"), u.can_steward
(['19873'], False, False)
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from communes import settings
from communes.refdata import RefData, resolve

ROLES = ("leader", "unit_viewer", "steward")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    units: tuple[str, ...] | None = None  # unit codes a unit viewer may see; None = all
    # True only for LOCAL, the one user when login is off; a signed-in user (named "local" or not) is
    # built from the roles file and never has it, so equality with LOCAL cannot be earned by a name
    local: bool = False

    @property
    def can_steward(self) -> bool:
        return self.role == "steward"

    def can_see(self, unit_code: str) -> bool:
        return self.units is None or unit_code in self.units

    def allowed(self, codes: list[str] | None) -> list[str] | None:
        """Restrict a list of unit codes (None = all) to what this user may see."""
        if self.units is None:
            return codes
        if codes is None:
            return list(self.units)
        return [c for c in codes if c in self.units]


LOCAL = User("local", "leader", local=True)


class AccessError(Exception):
    """Raised when a user has no role, or asks for a unit outside their own."""


def load_roles(ref: RefData, path: Path | None = None) -> dict[str, User]:
    """User name (lower case) → User, from the roles file; unit names resolved like the exports'."""
    path = Path(path or settings.path("roles_file"))
    if not path.exists():
        return {}
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    out = {}
    for name, entry in doc.get("users", {}).items():
        role = entry.get("role", "")
        if role not in ROLES:
            raise AccessError(f"{path.name}: người dùng «{name}»: vai trò «{role}» không hợp lệ ({', '.join(ROLES)})")
        units = None
        if role == "unit_viewer":
            codes = []
            for u in entry.get("units", []):
                m = resolve(ref, u, before_merger=False)
                if m.unit_code is None:
                    raise AccessError(f"{path.name}: người dùng «{name}»: đơn vị «{u}»: {m.error}")
                codes.append(m.unit_code)
            units = tuple(codes)
        out[name.strip().lower()] = User(name, role, units)
    return out


def user_for(name: str, ref: RefData, path: Path | None = None) -> User:
    """The role of a logged-in user; a user the roles file does not list is refused."""
    roles = load_roles(ref, path)
    user = roles.get(name.strip().lower())
    if user is None:
        raise AccessError(f"Tài khoản «{name}» chưa được cấp quyền xem bảng điều hành. Liên hệ quản trị viên.")
    return user
