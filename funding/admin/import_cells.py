"""How each cell of an imported contribution row is read: text without formulas or control
characters, amounts written the Dutch or the plain way, yes and no, statuses, and organisations
or sources by key or name."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, widgets

from funding.models import ContributionStatus
from funding.spreadsheets import FORMULA_STARTS, hidden_formula_start


def refuse_formula(value):
    if not isinstance(value, str):
        return value
    control = next(
        (c for c in value if unicodedata.category(c) == "Cc" and c not in "\t\n\r"), None
    )
    if control is not None:
        raise ValueError(
            _("contains the control character U+%(code)04X, which is not text; remove it")
            % {"code": ord(control)}
        )
    if value.startswith(FORMULA_STARTS):
        raise ValueError(
            _(
                "starts with “%(character)s”; cells that start with =, +, - or @ are refused "
                "because spreadsheet programs run them as formulas"
            )
            % {"character": value[0].replace("\t", "tab").replace("\r", "return")}
        )
    hidden = hidden_formula_start(value)
    if hidden is not None:
        raise ValueError(
            _(
                "starts with spaces and then “%(character)s”; such cells are refused because "
                "spreadsheet programs may run them as formulas"
            )
            % {"character": hidden}
        )
    return value


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return refuse_formula(super().clean(value, row, **kwargs)).strip()


# Amounts with dots between thousands and/or a decimal comma, as Dutch spreadsheets write them.
DUTCH_AMOUNT = re.compile(r"^(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?$")
# One dot followed by exactly three digits: a thousands separator or three decimals.
THOUSANDS_OR_DECIMALS = re.compile(r"^\d{1,3}\.\d{3}$")


class MoneyWidget(widgets.Widget):
    """Euros as a plain number with at most two decimals: 70000000 or 70000000.00."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            raise ValueError(_("is empty; give the amount in euros"))
        text = str(value).strip()
        if DUTCH_AMOUNT.match(text) and ("," in text or text.count(".") > 1):
            # Written the Dutch way: "70.000.000,00" or "70000000,5".
            text = text.replace(".", "").replace(",", ".")
        elif THOUSANDS_OR_DECIMALS.match(text):
            # "70.000" is seventy thousand to a Dutch reader and seventy to a program.
            raise ValueError(
                _("“%(text)s” could be read two ways; write 70000 or 70.00") % {"text": text}
            )
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("not a number (write euros as 70000000 or 70000000.00)")) from None
        if not amount.is_finite() or amount < 0:
            raise ValueError(_("must be 0 or more"))
        if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e12"):
            raise ValueError(_("must have at most 12 digits before and 2 after the point"))
        return amount.quantize(Decimal("0.01"))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YesNoWidget(widgets.Widget):
    """Yes or no in either language; an empty cell takes the column's default."""

    YES = {"1", "true", "yes", "y", "ja", "j", "waar"}
    NO = {"0", "false", "no", "n", "nee", "onwaar"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().lower()
        if text == "":
            return None
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("“%(value)s” is not yes or no") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class StatusWidget(widgets.Widget):
    """A status by its code or its name in either language: committed, toegezegd, ..."""

    def clean(self, value, row=None, **kwargs):
        text = refuse_formula(str(value or "").strip())
        if not text:
            return ContributionStatus.REQUESTED
        for status in ContributionStatus:
            if text.lower() in {status.value, str(status.label).lower()}:
                return status.value
        raise ValueError(
            _("“%(value)s” is not a status; use one of: %(statuses)s")
            % {"value": text, "statuses": ", ".join(ContributionStatus.values)}
        )


class KeyOrNameWidget(widgets.ForeignKeyWidget):
    """A related row by its key or, failing that, its exact name or title."""

    def __init__(self, model, name_field: str):
        super().__init__(model, field="key")
        self.name_field = name_field
        # Each import has its own copy of the widget, so this cache lives as long as one file.
        self.found = {}

    def clean(self, value, row=None, **kwargs):
        text = refuse_formula(str(value or "").strip())
        if not text:
            return None
        if text not in self.found:
            lookup = Q(key=text) | Q(**{self.name_field: text})
            self.found[text] = self.model.objects.filter(lookup).first()
        match = self.found[text]
        if match is None:
            raise ValueError(
                _("no %(model)s has the key or name “%(value)s”")
                % {"model": self.model._meta.verbose_name, "value": text}
            )
        return match


class ImportOnlyField(fields.Field):
    """A column read on import that is not a value of the contribution itself."""

    def get_value(self, instance):
        return None
