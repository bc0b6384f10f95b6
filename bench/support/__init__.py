"""What the workload scripts in bench/ share: the servers and processes a run starts, the
targets and ceilings it measures against, the bench team, simulated agents, the measures and
the report. `make bench` runs bench/*.py only, so nothing here runs as a workload."""
