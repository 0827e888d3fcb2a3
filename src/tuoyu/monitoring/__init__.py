"""Alerts (动态监管): a periodic job raises alerts for health officers from the registry,
supervision and complaints records; officers acknowledge them with a note."""
