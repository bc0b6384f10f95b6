"""Watchdeck: real-time, collaborative DevOps dashboard."""

__version__ = "0.1.0"
