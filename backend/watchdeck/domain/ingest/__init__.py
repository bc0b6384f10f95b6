"""What agents and services push: the ingest routes, batch formats and the hand-over to
the workers that store them."""
