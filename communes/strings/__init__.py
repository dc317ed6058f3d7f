"""Per-topic parts of the UI catalogue (``STRINGS`` dicts), merged into ``communes.i18n.CATALOG``."""
