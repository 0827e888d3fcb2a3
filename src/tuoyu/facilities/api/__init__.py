"""REST resources of the facilities app (see tuoyu.api for the shared parts)."""
