"""Property-based tests: the HTTP API fuzzed from its own schema, and parsers fuzzed directly."""
