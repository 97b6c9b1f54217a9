"""Money and percentages written for the active language, in one place."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def format_money(amount: Decimal | None, currency: str = "EUR") -> str:
    """ "€ 70.000.000" in Dutch, "€70,000,000" in English; cents only when there are any."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    places = 0 if amount == amount.to_integral_value() else 2
    number = number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    if (get_language() or "nl").startswith("nl"):
        return f"{symbol} {number}"
    return f"{symbol}{number}"


def money(amount: Decimal | None) -> str | None:
    """An amount as open data and files write it: "70000000.00", whatever the language."""
    return None if amount is None else f"{Decimal(amount):.2f}"


def format_share(share: Decimal | None) -> str:
    """A percentage with at most one decimal: "65%" or "65,5%"."""
    if share is None:
        return ""
    share = Decimal(share)
    places = 0 if share == share.to_integral_value() else 1
    return f"{number_format(share, decimal_pos=places, use_l10n=True)}%"


MILLION = Decimal(1_000_000)


def format_money_short(amount: Decimal, currency: str = "EUR") -> str:
    """Millions as "€ 130 mln" in Dutch and "€130M" in English (one decimal at most); smaller
    amounts in full. For a line that must stay short, such as the status badge."""
    amount = Decimal(amount)
    if abs(amount) < MILLION:
        return format_money(amount, currency)
    millions = (amount / MILLION).quantize(Decimal("0.1"))
    places = 0 if millions == millions.to_integral_value() else 1
    number = number_format(millions, decimal_pos=places, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    amount_text = f"{symbol} {number}" if _dutch() else f"{symbol}{number}"
    # The same words as the chart axes use: "€ 130 mln", "€130M".
    return gettext("%(amount)sM") % {"amount": amount_text}


def _dutch() -> bool:
    return (get_language() or "nl").startswith("nl")


def format_money_in_words(amount: Decimal | None, currency: str = "EUR") -> str:
    """Round millions as people say them: "€ 130 miljoen" in Dutch, "€130 million" in English.

    Only amounts that are a whole number of hundred-thousands read this way ("€70.5 million");
    any other amount is written out in full, so no figure is rounded.
    """
    if amount is None:
        return ""
    amount = Decimal(amount)
    if amount < MILLION or amount % (MILLION / 10):
        return format_money(amount, currency)
    millions = amount / MILLION
    places = 0 if millions == millions.to_integral_value() else 1
    number = number_format(millions, decimal_pos=places, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    if (get_language() or "nl").startswith("nl"):
        return f"{symbol} {number} miljoen"
    return f"{symbol}{number} million"
