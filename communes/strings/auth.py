"""Strings of the login gate."""
STRINGS = {
    "auth.title": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth.intro": {"vi": "Bảng điều hành chỉ dành cho người được cấp quyền.",
                   "en": "The dashboard is for authorised users only."},
    "auth.login_oidc": {"vi": "Đăng nhập bằng tài khoản công vụ", "en": "Sign in with your official account"},
    "auth.user": {"vi": "Tên đăng nhập", "en": "User name"},
    "auth.password": {"vi": "Mật khẩu", "en": "Password"},
    "auth.submit": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth.wrong": {"vi": "Sai tên đăng nhập hoặc mật khẩu.", "en": "Wrong user name or password."},
    "auth.logout": {"vi": "Đăng xuất", "en": "Sign out"},
    "auth.signed_in": {"vi": "Đăng nhập: {name} ({role})", "en": "Signed in: {name} ({role})"},
    "auth.role.leader": {"vi": "lãnh đạo", "en": "leader"},
    "auth.role.unit_viewer": {"vi": "xem đơn vị", "en": "unit viewer"},
    "auth.role.steward": {"vi": "quản lý dữ liệu", "en": "data steward"},
    "auth.refused_unit": {"vi": "Tài khoản của bạn không được xem đơn vị này.",
                          "en": "Your account may not see this unit."},
}
