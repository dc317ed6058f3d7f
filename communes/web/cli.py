"""Commands of the login: ``passwd USER`` (a password's stored value) and ``token NAME`` (an API token).

>>> import io, sys; stdin, sys.stdin = sys.stdin, io.StringIO("mật khẩu\\n")
>>> main_passwd("lanhdao", n=2 ** 10)  # doctest: +ELLIPSIS
"lanhdao" = "scrypt$1024$8$1$..."
0
>>> sys.stdin = stdin
"""
from __future__ import annotations

import getpass
import json
import sys

from communes.web import session


def _read_password() -> str | None:
    if sys.stdin.isatty():
        first = getpass.getpass("Mật khẩu / Password: ")
        if getpass.getpass("Nhập lại / Again: ") != first:
            print("LỖI: hai lần nhập không khớp.", file=sys.stderr)
            return None
        return first
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def main_passwd(user: str, n: int = session.SCRYPT_N) -> int:
    password = _read_password()
    if password is None:
        return 2
    if not password:
        print("LỖI: mật khẩu trống (đọc từ đầu vào chuẩn).", file=sys.stderr)
        return 2
    print(f"{json.dumps(user, ensure_ascii=False)} = \"{session.hash_password(password, n=n)}\"")
    print("Đặt dòng trên vào .streamlit/secrets.toml, mục [communes.passwords].", file=sys.stderr)
    return 0


def cmd_passwd(args) -> int:
    return main_passwd(args.user)


def cmd_token(args) -> int:
    if "." in args.name or not args.name.strip():
        print("LỖI: tên không được chứa dấu chấm.", file=sys.stderr)
        return 2
    token, stored = session.new_token(args.name)
    units = "" if not args.unit else f"units = {json.dumps(args.unit, ensure_ascii=False)}\n"
    print(f"[communes.tokens.{json.dumps(args.name, ensure_ascii=False)}]\nhash = \"{stored}\"\n"
          f"role = \"{args.role}\"\n{units}", end="")
    print(f"Mã truy cập (chỉ hiện một lần; đưa cho hệ thống gọi API): {token}", file=sys.stderr)
    return 0


def cmd_revoke(args) -> int:
    """End every session of a user now, on every replica (a lost or shared phone): their cookies issued
    until now are refused; they sign in again."""
    from communes import db

    session.Revocations(lambda: db.db_dir() / session.REVOKED_FILE).end_user(args.user)
    print(f"Đã kết thúc mọi phiên đăng nhập của «{args.user}»; người dùng cần đăng nhập lại.")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("revoke", help="kết thúc mọi phiên đăng nhập của một người dùng (mất điện thoại…)")
    p.add_argument("user")
    p.set_defaults(func=cmd_revoke)
    p = sub.add_parser("passwd", help="đọc mật khẩu từ đầu vào chuẩn, in giá trị băm (scrypt) để lưu vào secrets")
    p.add_argument("user")
    p.set_defaults(func=cmd_passwd)
    p = sub.add_parser("token", help="tạo mã truy cập API: in mục để lưu vào secrets (băm) và mã (một lần)")
    p.add_argument("name")
    p.add_argument("--role", choices=["leader", "unit_viewer", "steward"], default="leader")
    p.add_argument("--unit", action="append", help="đơn vị (vai trò unit_viewer); lặp lại cho nhiều đơn vị")
    p.set_defaults(func=cmd_token)
