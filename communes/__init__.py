"""Huế commune dashboard: shared code for the pages, the CLI and the tests."""
