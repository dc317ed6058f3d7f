"""The data contract as data: datasets, canonical columns, aliases and types.

docs/data-dictionary.md is written from this table (``python -m communes.docs_gen``), and the readers enforce it.
Aliases are compared by ``names.ascii_key`` (case, diacritics and spacing folded).

>>> DATASETS["dossiers"].column("Ngày tiếp nhận").name
'received_at'
"""
from __future__ import annotations

from dataclasses import dataclass, field

from communes.names import ascii_key


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, int, number, date, datetime, month, bool, enum:<name>, unit
    aliases: tuple[str, ...] = ()
    required: bool = True
    meaning: str = ""
    scale: dict[str, float] = field(default_factory=dict)  # alias → multiplier
    # Time rules (dates, datetimes and months lie between the settings date_min and dates_until):
    not_before: str = ""  # a column this one may not precede (compared at the precision both give)
    ahead: bool = False  # may lie after the day the file is checked: within due_max_months of ``not_before``,
    # or of that day when it has none
    year: bool = False  # an int that is a calendar year (same bounds as the dates)


@dataclass(frozen=True)
class Dataset:
    name: str
    title_vi: str
    columns: tuple[Column, ...]
    grain: str
    date_column: str | None  # decides which administrative map a unit name is read against
    key: tuple[str, ...] = ()  # what makes a row unique
    key_words: str = "cho cùng đơn vị và kỳ"  # the key in words, for the message about a repeated row

    def column(self, header: str) -> Column | None:
        """The canonical column a header names, by canonical name or alias."""
        key = ascii_key(header)
        for col in self.columns:
            if key in {ascii_key(col.name), *(ascii_key(a) for a in col.aliases)}:
                return col
        return None

    def scale_for(self, header: str) -> float:
        key = ascii_key(header)
        col = self.column(header)
        return next((v for a, v in col.scale.items() if ascii_key(a) == key), 1.0) if col else 1.0


UNIT = Column("unit", "unit", ("Đơn vị", "Xã/Phường", "Xã, phường"), meaning="commune-level unit: name, short name or code")

DATASETS: dict[str, Dataset] = {d.name: d for d in [
    Dataset("dossiers", "Hồ sơ thủ tục hành chính", (
        Column("dossier_id", "text", ("Mã hồ sơ", "MaHoSo"), meaning="dossier code, unique"),
        Column("unit", "unit", ("Đơn vị", "Đơn vị tiếp nhận", "Xã/Phường", "Cơ quan thực hiện"), meaning="receiving unit"),
        Column("field", "text", ("Lĩnh vực", "TenLinhVuc"), meaning="procedure field"),
        Column("procedure", "text", ("Thủ tục", "Tên TTHC", "TenTTHC"), required=False, meaning="procedure name"),
        Column("channel", "enum:channel", ("Kênh", "Hình thức nộp", "KenhThucHien"), meaning="1/Trực tiếp, 2/Trực tuyến, 3/Bưu chính"),
        Column("received_at", "datetime", ("Ngày tiếp nhận", "NgayTiepNhan"), meaning="when the dossier was accepted"),
        Column("due_at", "datetime", ("Ngày hẹn trả", "Hạn xử lý", "NgayHenTra"), not_before="received_at", ahead=True,
               meaning="promised completion (date only: end of that day)"),
        Column("completed_at", "datetime", ("Ngày có kết quả", "Ngày kết thúc xử lý", "NgayKetThucXuLy"), required=False,
               not_before="received_at", meaning="completion, empty while pending"),
        Column("digitized", "bool", ("Số hóa", "Được số hóa", "HoSoCoThanhPhanSoHoa"), meaning="1/0, Có/Không, true/false, x/empty"),
        Column("rating", "enum:rating", ("Đánh giá", "Mức độ hài lòng"), required=False,
               meaning="Hài lòng, Bình thường, Không hài lòng"),
    ), "one row per dossier", "received_at", ("dossier_id",)),
    Dataset("tourism", "Du lịch", (
        UNIT,
        Column("month", "month", ("Tháng", "Kỳ"), meaning="2025-07, 07/2025 or a date in the month"),
        Column("visitors_domestic", "int", ("Khách nội địa", "Lượt khách nội địa")),
        Column("visitors_international", "int", ("Khách quốc tế", "Lượt khách quốc tế")),
        Column("overnight_guests", "int", ("Khách lưu trú",), required=False),
        Column("revenue_vnd", "number", ("Doanh thu (đồng)", "Doanh thu", "Doanh thu (triệu đồng)", "Doanh thu (tỷ đồng)"),
               scale={"Doanh thu (triệu đồng)": 1e6, "Doanh thu (tỷ đồng)": 1e9}, meaning="đồng; million/billion headers scaled"),
    ), "one row per unit and month", "month", ("unit", "month")),
    Dataset("agriculture", "Nông nghiệp", (
        UNIT,
        Column("year", "int", ("Năm",), year=True),
        Column("season", "enum:season", ("Vụ",), meaning="Đông Xuân, Hè Thu, Vụ Mùa/Thu Đông, Cả năm"),
        Column("crop", "text", ("Cây trồng",), required=False, meaning='default "Lúa"'),
        Column("area_ha", "number", ("Diện tích (ha)", "Diện tích gieo cấy", "Diện tích")),
        Column("yield_quintal_per_ha", "number", ("Năng suất (tạ/ha)", "Năng suất")),
        Column("production_tonnes", "number", ("Sản lượng (tấn)", "Sản lượng")),
    ), "one row per unit, year, season and crop", "season_date", ("unit", "year", "season", "crop")),
    Dataset("fishery", "Thủy sản", (
        UNIT,
        Column("month", "month", ("Tháng", "Kỳ"), meaning="as in tourism"),
        Column("kind", "enum:kind", ("Loại", "Hình thức"), meaning="Nuôi trồng or Khai thác"),
        Column("output_tonnes", "number", ("Sản lượng (tấn)", "Sản lượng")),
        Column("area_ha", "number", ("Diện tích nuôi (ha)", "Diện tích nuôi"), required=False, meaning="aquaculture only"),
    ), "one row per unit, month and kind", "month", ("unit", "month", "kind")),
    Dataset("staffing", "Nhân lực", (
        UNIT,
        Column("as_of", "date", ("Ngày", "Thời điểm")),
        Column("approved_posts", "int", ("Biên chế được giao",)),
        Column("staff", "int", ("Số cán bộ, công chức hiện có", "Số cán bộ", "Số cán bộ công chức")),
        Column("concurrent_posts", "int", ("Số vị trí kiêm nhiệm",)),
    ), "one row per unit and date", "as_of", ("unit", "as_of")),
    # A current unit's specialists per procedure field (the dossiers' field names). Undated for the
    # name lookup: the staff of a unit exist only since the merger, so a name is read on the current map.
    Dataset("staffing_fields", "Cán bộ chuyên môn theo lĩnh vực", (
        UNIT,
        Column("as_of", "date", ("Ngày", "Tính đến ngày", "Thời điểm")),
        Column("field", "text", ("Lĩnh vực", "TenLinhVuc"), meaning="the dossiers' field name (Đất đai, Xây dựng, Hộ tịch, …)"),
        Column("specialists", "int", ("Số cán bộ chuyên môn", "Cán bộ chuyên môn", "Số người phụ trách"),
               meaning="specialist staff of the field in post on that date"),
    ), "one row per unit, date and field", None, ("unit", "as_of", "field")),
    Dataset("units", "Thông tin đơn vị", (
        UNIT,
        Column("population", "int", ("Dân số",)),
    ), "one row per current unit", None, ("unit",)),
    Dataset("events", "Sự kiện", (
        Column("date", "date", ("Ngày",)),
        Column("label", "text", ("Sự kiện", "Nội dung")),
        Column("unit", "unit", ("Đơn vị",), required=False, meaning="empty means the whole city"),
    ), "one row per event", "date", ()),
    # The office's follow-up list of site visits. The unit is always read against the current map
    # (no record date), since conclusions are addressed to the units as they are now.
    Dataset("visits", "Kết luận kiểm tra", (
        Column("visit_date", "date", ("Ngày kiểm tra",)),
        Column("unit", "unit", ("Đơn vị", "Xã/Phường", "Xã, phường"), meaning="a current unit: name, short name or code"),
        Column("kind", "enum:visit_kind", ("Loại",),
               meaning="Kiến nghị: raised by the unit; Chỉ đạo: a direction from the city; Phát hiện: a finding"),
        Column("text", "text", ("Nội dung",), meaning="shown as text only (never HTML or Markdown); downloads are formula-safe"),
        Column("owner", "text", ("Cơ quan chủ trì",), required=False, meaning="the body in charge"),
        Column("due", "date", ("Hạn",), required=False, ahead=True, meaning="the deadline; not before visit_date"),
        Column("status", "enum:visit_status", ("Trạng thái",),
               meaning='"Hoàn thành" is read as "Đã hoàn thành"'),
        Column("closed_on", "date", ("Ngày hoàn thành",), required=False, meaning="when done; not before visit_date"),
    ), "one row per item raised or decided at a site visit", None, ("visit_date", "unit", "text"),
        "cho cùng ngày kiểm tra, đơn vị và nội dung"),
]}

# Sanity bounds every dataset inherits: a value beyond them is refused with its line, never stored.
MAX_INT = 10**12  # a count (visitors, staff, population …)
MAX_NUMBER = 1e15  # an amount after unit conversion (đồng, tonnes, hectares …)
MAX_TEXT = 2000  # characters in a text cell (a procedure's name is at most a few hundred)

# Enumerations: accepted spellings (compared by ascii_key) → stored value.
ENUMS: dict[str, dict[str, str]] = {
    "channel": {"1": "direct", "truc tiep": "direct", "2": "online", "truc tuyen": "online",
                "3": "postal", "buu chinh": "postal", "buu chinh (cong ich)": "postal", "buu chinh cong ich": "postal"},
    "rating": {"hai long": "Hài lòng", "binh thuong": "Bình thường", "khong hai long": "Không hài lòng"},
    "season": {"dong xuan": "Đông Xuân", "he thu": "Hè Thu", "vu mua": "Vụ Mùa", "thu dong": "Thu Đông", "ca nam": "Cả năm"},
    "kind": {"nuoi trong": "Nuôi trồng", "khai thac": "Khai thác"},
    "visit_kind": {"kien nghi": "Kiến nghị", "chi dao": "Chỉ đạo", "phat hien": "Phát hiện"},
    "visit_status": {"chua thuc hien": "Chưa thực hiện", "dang thuc hien": "Đang thực hiện",
                     "da hoan thanh": "Đã hoàn thành", "hoan thanh": "Đã hoàn thành"},
}
ENUM_HELP = {
    "channel": "1, 2, 3 hoặc Trực tiếp, Trực tuyến, Bưu chính (công ích)",
    "rating": "Hài lòng, Bình thường, Không hài lòng hoặc để trống",
    "season": "Đông Xuân, Hè Thu, Vụ Mùa, Thu Đông hoặc Cả năm",
    "kind": "Nuôi trồng hoặc Khai thác",
    "visit_kind": "Kiến nghị, Chỉ đạo hoặc Phát hiện",
    "visit_status": "Chưa thực hiện, Đang thực hiện hoặc Đã hoàn thành",
}
DONE = "Đã hoàn thành"  # the visits status that closes an item
TRUE_WORDS = {"1", "co", "true", "x", "yes", "dung"}
FALSE_WORDS = {"0", "khong", "false", "", "no", "sai"}
