"""One definition of a money column, so every amount has the same precision and constraint."""

from decimal import Decimal

from django.db import models

ZERO = Decimal("0.00")
MONEY_DIGITS = {"max_digits": 14, "decimal_places": 2}


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, **MONEY_DIGITS, **kwargs)


def non_negative(field: str, model_name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 0}),
        name=f"{model_name}_{field}_not_negative",
        violation_error_message=f"The {field} cannot be negative.",
    )
