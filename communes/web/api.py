"""The read-only API under ``/api/v1/``: the numbers of the pages for other systems.

Every answer is built by the same code as the pages, on the version they serve and through their cache
(``communes.served.runner``: the same keys): ``kpi`` is ``communes.kpi.document`` (what
``python -m communes kpi`` prints), ``ranking`` is the overview's ranking (``communes.views.overview``),
``units`` the reference the pages show. ``server.py`` adds the data version, the ETag, caching, CSV
and the login; this module only turns parameters into rows and refuses bad ones.

>>> ApiError(400, "api.missing", "period").body()["error"]["en"]
'Parameter «period» is missing.'
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from communes import auth, comparisons, frame, groups, kpi, periods, refdata, rollups, targets
from communes.i18n import t
from communes.missing import value
from communes.views import overview as ov

FORMATS = ("json", "csv")


class ApiError(Exception):
    """An answer other than 200: the status, and a message in Vietnamese and English naming the parameter."""

    def __init__(self, status: int, key: str, parameter: str | None = None, **kw):
        super().__init__(key)
        self.status, self.key, self.parameter = status, key, parameter
        self.kw = {"parameter": parameter, **kw}

    def body(self) -> dict:
        return {"error": {"status": self.status, "parameter": self.parameter,
                          "vi": t(self.key, "vi", **self.kw), "en": t(self.key, "en", **self.kw)}}


@dataclass(frozen=True)
class Request:
    """What an endpoint runs on: the caller, the reference data, the query runner of one version."""

    params: Mapping[str, str]
    user: auth.User
    ref: refdata.RefData
    run: Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Answer:
    """An endpoint's result: a JSON document, and for list endpoints the rows a CSV holds."""

    doc: dict
    rows: pd.DataFrame | None = None
    name: str = ""  # the CSV file's name (without the sample prefix)


def check_params(params: Mapping[str, str], allowed: tuple[str, ...]) -> None:
    for k in params:
        if k not in allowed:
            raise ApiError(400, "api.unknown_param", k, allowed=", ".join(allowed))


def period_param(params: Mapping[str, str], name: str = "period") -> periods.Period:
    value = params.get(name)
    if not value:
        raise ApiError(400, "api.missing", name)
    try:
        return periods.parse(value)
    except ValueError:
        raise ApiError(400, "api.bad_period", name, value=value) from None


def choice(params: Mapping[str, str], name: str, options, default: str) -> str:
    value = params.get(name, default)
    if value not in options:
        raise ApiError(400, "api.bad_choice", name, value=value, allowed=", ".join(options))
    return value


def unit_param(req: Request, name: str = "unit") -> str | None:
    """The unit's code from a code or any spelling of its name; 404 when no unit has it, 403 when the
    caller may not see it."""
    value = req.params.get(name)
    if value is None:
        return None
    m = refdata.resolve(req.ref, value, before_merger=False)
    if m.unit_code is None:
        raise ApiError(404, "api.unknown_unit", name, value=value)
    if not req.user.can_see(m.unit_code):
        raise ApiError(403, "web.refused_unit", name, value=value)
    return m.unit_code


def plain(v):
    """A JSON-ready cell (None for no data)."""
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if hasattr(v, "tolist") and not isinstance(v, (str, bytes)) and getattr(v, "ndim", 0):
        return [plain(x) for x in v.tolist()]
    return value(v)


def records(df: pd.DataFrame) -> list[dict]:
    return [{k: plain(v) for k, v in row.items()} for row in df.to_dict("records")]


# --- endpoints -------------------------------------------------------------------------------------

def kpi_doc(req: Request) -> Answer:
    """``GET /api/v1/kpi?period=P[&unit=U]``: exactly the JSON ``python -m communes kpi`` prints."""
    check_params(req.params, ("period", "unit"))
    period = period_param(req.params)
    code = unit_param(req)
    if code is None and req.user.units is not None:
        raise ApiError(403, "web.refused_province", "unit")
    name = req.ref.unit_name(code) if code else None
    return Answer(kpi.document(period, name, [code] if code else None, run=req.run))


def peer_groups(unit_type: str, group_id) -> list[str]:
    """The unit's peer groups: its type group (``phuong``/``xa``) and its geographic group when it has one."""
    kind = next((k for k, v in groups.TYPE_GROUPS.items() if v[0] == unit_type), None)
    return [g for g in (kind, group_id if isinstance(group_id, str) else None) if g]


def units_doc(req: Request) -> Answer:
    """``GET /api/v1/units``: code, name, type, peer groups, former communes, area, population."""
    check_params(req.params, ("format",))
    df = req.run("api/units", units=req.user.allowed(None))
    df.insert(5, "peer_groups", [peer_groups(a, b) for a, b in zip(df["unit_type"], df["group_id"])])
    df = df.drop(columns="group_id")
    df["former_communes"] = [list(x) for x in df["former_communes"]]
    return Answer({"units": records(df)}, df, "don-vi")


def ranking_doc(req: Request) -> Answer:
    """``GET /api/v1/ranking?period=P&metric=M[&scope=S][&cmp=prev|yoy]``: the overview's ranking."""
    check_params(req.params, ("period", "metric", "scope", "cmp", "format"))
    period = period_param(req.params)
    if "metric" not in req.params:
        raise ApiError(400, "api.missing", "metric")
    metric = choice(req.params, "metric", list(ov.METRICS), "")
    cmp_kind = choice(req.params, "cmp", frame.COMPARE, frame.COMPARE[0])
    scope = choice(req.params, "scope", frame.scopes(req.ref, req.user), "all")  # the pages' scopes for this user
    cmp = comparisons.of(period, cmp_kind)  # each kind of data compared by its own rule, as on the overview
    compare = cmp.for_section(next(sec for sec, keys in kpi.KEYS.items() if metric in keys))
    units = req.user.allowed(groups.scope_units(req.ref, scope))
    stored = rollups.Stored.load(req.run)
    table = ov.unit_table(req.run, req.ref, period, units, stored)
    ranked = ov.ranking(table, ov.metric_before(req.run, req.ref, cmp, units, metric, stored), metric)
    target = targets.load().get(metric)
    rows = pd.DataFrame({
        "rank": ranked["rank"],
        "unit_code": ranked["unit_code"],
        "unit_name": ranked["unit_name"],
        "value": ranked[metric],
        "value_compare": ranked["value_before"],
        "rank_compare": ranked["rank_before"],
        "rank_change": ranked["rank_change"],
        "status": [target.status(plain(v)) if target else None for v in ranked[metric]],
    })
    doc = {"metric": metric, "scope": scope, "compare": cmp.kind,
           "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
           "compare_period": {"start": compare.start.isoformat(), "end": compare.end.isoformat()},
           "target": None if target is None else {"value": target.target, "direction": target.direction,
                                                  "source": target.source},
           "ranking": records(rows)}
    return Answer(doc, rows, f"xep-hang-{metric}-{period.code}")


ENDPOINTS = {"kpi": kpi_doc, "units": units_doc, "ranking": ranking_doc}
LISTS = ("units", "ranking")  # the endpoints that also answer ?format=csv


def docs_html() -> str:
    """The API's documentation page (``/api/v1/``): each endpoint with an example."""
    base = "http://localhost:8501"
    metrics = ", ".join(f"<code>{m}</code>" for m in ov.METRICS)
    return f"""<h1>API /api/v1/ (chỉ đọc / read-only)</h1>
<p>Các con số giống hệt trang bảng điều hành và <code>python -m communes kpi</code> (cùng truy vấn, cùng phiên
bản dữ liệu). / The same numbers as the dashboard and <code>python -m communes kpi</code>.</p>
<p>Mỗi câu trả lời có <code>X-Data-Version</code> (phiên bản dữ liệu), <code>ETag</code> và
<code>Cache-Control: private, no-cache</code>; <code>X-Sample-Data: true</code> khi đang dùng DỮ LIỆU MẪU.
Lỗi: 400 (tham số sai, thông báo tiếng Việt và tiếng Anh nêu tên tham số), 401/403 (đăng nhập, quyền),
404 (đơn vị không có).</p>
<h2>GET /api/v1/kpi?period=P[&amp;unit=U]</h2>
<p>Mọi chỉ tiêu của kỳ, cho một đơn vị hoặc cả thành phố: đúng JSON của <code>python -m communes kpi</code>.
<code>P</code>: <code>2025-07</code>, <code>2025-Q3</code>, <code>2025</code> hoặc
<code>2025-07-01..2025-10-31</code>; <code>U</code>: mã hoặc tên đơn vị, viết kiểu nào cũng được.</p>
<pre>curl -s '{base}/api/v1/kpi?period=2025-Q3&amp;unit=Phong%20Qu%E1%BA%A3ng'</pre>
<h2>GET /api/v1/units[?format=csv]</h2>
<p>Mã, tên, loại, nhóm tương đồng, các xã/phường cũ, diện tích, dân số.</p>
<pre>curl -s '{base}/api/v1/units'
curl -s -o don-vi.csv '{base}/api/v1/units?format=csv'</pre>
<h2>GET /api/v1/ranking?period=P&amp;metric=M[&amp;scope=S][&amp;cmp=prev|yoy][&amp;format=csv]</h2>
<p>Xếp hạng như trang Tổng quan: hạng, giá trị, giá trị kỳ so sánh, trạng thái so với chỉ tiêu. <code>M</code>:
{metrics}. <code>S</code>: <code>all</code>, <code>phuong</code>, <code>xa</code> hoặc mã nhóm
(<code>urban</code>, <code>coastal</code>, …).</p>
<pre>curl -s '{base}/api/v1/ranking?period=2025-Q3&amp;metric=on_time_rate&amp;scope=xa'
curl -s -o xep-hang.csv '{base}/api/v1/ranking?period=2025-Q3&amp;metric=visitors&amp;format=csv'</pre>
<h2>Đăng nhập / Authentication</h2>
<p>Khi bật đăng nhập: mã truy cập (token) của hệ thống khác, hoặc phiên đăng nhập (cookie) của trình duyệt.</p>
<pre>curl -s -H 'Authorization: Bearer TEN.MA_BI_MAT' '{base}/api/v1/units'
curl -s -c jar -d user=lanhdao --data-urlencode password@- '{base}/auth/login' &lt; matkhau.txt
curl -s -b jar '{base}/api/v1/kpi?period=2025'</pre>
"""

