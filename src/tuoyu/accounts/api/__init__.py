"""REST resources of the accounts app (see tuoyu.api for the shared parts)."""
