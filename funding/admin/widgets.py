"""Autocomplete widgets that show a posted value which is not a key, rather than fail on it."""

from django.contrib.admin import options
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connection


class KeysOnly:
    """Django's autocomplete looks every posted value up as a key; "1.5" for an id raised a
    ValueError while the page showed the form's errors. Values that are not keys are left out
    (the field's own error already names them), and so are numbers beyond the column's range,
    which SQLite cannot even compare (OverflowError)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        keys = []
        for item in value:
            try:
                key = target.to_python(item)
            except (ValidationError, ValueError, TypeError):
                continue
            if isinstance(key, int) and not _in_range(target, key):
                continue
            keys.append(item)
        return super().optgroups(name, keys, attr)


def _in_range(field, number: int) -> bool:
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return (low is None or number >= low) and (high is None or number <= high)


class SafeAutocompleteSelect(KeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(KeysOnly, AutocompleteSelectMultiple):
    pass


def install() -> None:
    """Every admin and inline builds its autocomplete fields from these names in options."""
    options.AutocompleteSelect = SafeAutocompleteSelect
    options.AutocompleteSelectMultiple = SafeAutocompleteSelectMultiple
