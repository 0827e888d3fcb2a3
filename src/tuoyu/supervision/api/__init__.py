"""Read-only REST API of supervision: annual reports, inspections, rectification orders."""
