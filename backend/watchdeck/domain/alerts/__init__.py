"""Alert rules, their evaluation, firing alerts, notification channels and deliveries."""
