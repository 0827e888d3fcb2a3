"""Supervision (监管): annual reports, double-random inspections (双随机、一公开), rectification and publication."""
