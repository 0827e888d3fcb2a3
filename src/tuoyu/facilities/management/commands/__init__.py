"""Management commands of the facilities app (import, export)."""
