"""Settings registry: every setting has a name, a default and a help line.

Values come from environment variables named ``COMMUNES_<NAME>`` (upper case).
Paths are anchored at the repository, never at the current directory.

>>> get("province")
'Thành phố Huế'
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return "COMMUNES_" + self.name.upper()


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("province", "Thành phố Huế", "Province whose units the dashboard covers (name as in vietnamadminunits)."),
        Setting("data_dir", str(ROOT / "data"), "Folder holding the CSV exports."),
        Setting("db_dir", str(ROOT / "var" / "db"), "Folder holding the DuckDB database versions (ignored by git)."),
        Setting("keep_versions", "5", "How many database versions to keep for rollback."),
        Setting("targets_file", str(ROOT / "config" / "targets.toml"), "Targets for the KPI cards, each with its source."),
        Setting("groups_file", str(ROOT / "config" / "groups.toml"), "Peer groups of units (optional; type groups always exist)."),
        Setting("upload_max_mb", "250", "Largest upload accepted, in MB."),
        Setting("due_soon_days", "2", "Working days ahead a pending dossier counts as \"Sắp đến hạn\" (due soon); weekends and Vietnamese public holidays do not count."),
        Setting("date_min", "2000-01-01", "Earliest date an export may hold (received, completed, months, years); older dates are refused."),
        Setting("dates_until", "", "Latest date an export may hold (empty: the day the file is checked); only due dates lie ahead."),
        Setting("due_max_months", "12", "How far after its received date a due date may lie, in months."),
        Setting("roles_file", str(ROOT / "config" / "roles.toml"), "Users and their roles (leader, unit_viewer, steward) when login is on."),
    ]
}


def get(name: str) -> str:
    s = SETTINGS[name]
    return os.environ.get(s.env, s.default)


def date_min() -> date:
    return date.fromisoformat(get("date_min"))


def dates_until() -> date:
    """The latest date an export may hold: the setting, or today."""
    value = get("dates_until").strip()
    return date.fromisoformat(value) if value else date.today()


def path(name: str) -> Path:
    return Path(get(name)).expanduser()
