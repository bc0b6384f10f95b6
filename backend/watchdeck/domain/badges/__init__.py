"""Public SVG badges of a service, at an address whose secret key names neither it nor its team."""
