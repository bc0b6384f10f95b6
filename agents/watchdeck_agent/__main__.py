"""`python -m watchdeck_agent` runs the same command as `watchdeck-agent`."""

from watchdeck_agent.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
