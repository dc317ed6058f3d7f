"""Settings registry: every setting has a name, a default and a help line.

Values come from environment variables named ``COMMUNES_<NAME>`` (upper case).
Paths are anchored at the repository, never at the current directory.

>>> get("province")
'Thành phố Huế'
"""
from __future__ import annotations

import os
from dataclasses import dataclass
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
        Setting("roles_file", str(ROOT / "config" / "roles.toml"), "Users and their roles (leader, unit_viewer, steward) when login is on."),
    ]
}


def get(name: str) -> str:
    s = SETTINGS[name]
    return os.environ.get(s.env, s.default)


def path(name: str) -> Path:
    return Path(get(name)).expanduser()
