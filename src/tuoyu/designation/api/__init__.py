"""REST API of designation campaigns: the publicity (公示) list and its objections (异议)."""
