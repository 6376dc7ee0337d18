"""Shared code of the dashboard: data access, translations, charts and exports."""
