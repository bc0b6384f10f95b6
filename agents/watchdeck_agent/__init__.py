"""Watchdeck host agent: samples the host, tails log files, pushes batches to a Watchdeck server."""

__version__ = "0.1.0"
