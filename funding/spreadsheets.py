"""Cells that leave the tracker for a spreadsheet (CSV, XLSX) or come in from one."""

# A spreadsheet runs a cell that starts with one of these as a formula (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
