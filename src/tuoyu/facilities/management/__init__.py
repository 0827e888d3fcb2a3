"""Management commands of the facilities app."""
