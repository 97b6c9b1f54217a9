"""Cells that leave the tracker for a spreadsheet (CSV, XLSX) or come in from one."""

# A spreadsheet runs a cell that starts with one of these as a formula (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spaces and control characters that some programs skip (or an export strips) before a formula.
LEADING_NOISE = "".join(chr(code) for code in range(0x21)) + "\x7f\xa0"


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or hidden_formula_start(text) is not None


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading quote; numbers stay numbers."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def hidden_formula_start(value: str) -> str | None:
    """The formula character a spreadsheet might still act on after leading spaces or controls.

    " =1+1" or "\x01=HYPERLINK(...)" do not start with "=", but some programs skip what precedes
    it; the character found is returned, or None.
    """
    rest = value.lstrip(LEADING_NOISE)
    if rest and rest[0] in "=+-@":
        return rest[0]
    return None
