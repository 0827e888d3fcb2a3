"""REST resources of the reference app (see tuoyu.api for the shared parts)."""
