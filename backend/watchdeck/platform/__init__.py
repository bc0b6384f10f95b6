"""What every domain may use: settings, logging, errors, outbound HTTP and its vetting, mail,
the shared vocabulary, pagination, ranges, rate limits, the event bus and the Redis keys.

Nothing here imports a domain, the app, the worker or the realtime server.
"""
