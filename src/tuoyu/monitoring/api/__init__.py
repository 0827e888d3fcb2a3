"""Read-only REST API of the alerts (预警) for integrators."""
