from django import template

from funding.formatting import format_money, format_share

register = template.Library()


@register.filter
def money(amount, currency="EUR"):
    return format_money(amount, currency)


@register.filter
def share(value):
    return format_share(value)
