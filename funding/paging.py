"""Page numbers in addresses (`?page=N`): one rule for every paged list on the site."""

# Six digits: a million pages of anything is past the end; longer numbers are not worth parsing.
MAX_DIGITS = 6


def page_number(value: str | None) -> int | None:
    """The page asked for: 1 when absent, None when it is not a whole number from 1 to 999999.

    What None means is the caller's: the API answers 400, the change log shows its first page.
    """
    if value is None:
        return 1
    whole = value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS
    return int(value) if whole and int(value) >= 1 else None
