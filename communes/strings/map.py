"""Strings of the unit map."""
STRINGS = {
    "map.mode": {"vi": "Kiểu bản đồ", "en": "Map type"},
    "map.choropleth": {"vi": "Tô màu theo đơn vị", "en": "Shaded units"},
    "map.bubbles": {"vi": "Vòng tròn theo giá trị", "en": "Proportional circles"},
    "map.approximate": {"vi": "Ranh giới giữa các xã, phường là gần đúng", "en": "Borders between units are approximate"},
    "map.rank": {"vi": "hạng {rank}/{total}", "en": "rank {rank} of {total}"},
    "map.click_hint": {"vi": "Bấm vào một đơn vị để mở hồ sơ đơn vị.", "en": "Click a unit to open its profile."},
    "map.title": {"vi": "Bản đồ đơn vị", "en": "Unit map"},
    "overview.as_bars": {"vi": "Xem dạng biểu đồ xếp hạng", "en": "Show as a ranked chart"},
}
