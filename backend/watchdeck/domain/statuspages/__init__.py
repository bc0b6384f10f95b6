"""Public status pages: what a team publishes about its services and hosts."""
