"""One definition of a money column, so every amount has the same precision and constraint."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

ZERO = Decimal("0.00")
MONEY_DIGITS = {"max_digits": 14, "decimal_places": 2}


class FiniteDecimalFormField(forms.DecimalField):
    """Refuses NaN and infinities while reading the input, not only when validating it.

    Django's field reads "sNaN" as a decimal and refuses it later, but the admin first asks
    whether the field changed, and comparing a signalling NaN raises InvalidOperation: a 500.
    """

    def to_python(self, value):
        number = super().to_python(value)
        if number is not None and not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class MoneyField(models.DecimalField):
    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": FiniteDecimalFormField, **kwargs})

    def deconstruct(self):
        # Migrations see a plain DecimalField: only the form field differs.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return MoneyField(verbose_name, **MONEY_DIGITS, **kwargs)


def non_negative(field: str, model_name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 0}),
        name=f"{model_name}_{field}_not_negative",
        violation_error_message=f"The {field} cannot be negative.",
    )
