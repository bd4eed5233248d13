"""Newshub: a self-hosted news hub."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/newshub/newshub"
