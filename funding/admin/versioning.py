"""Edit forms that refuse to overwrite a newer version, and reverts that are themselves recorded."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from funding.admin.governed import GovernedAdminMixin
from funding.formatting import format_money
from funding.governance.rules import ApprovalRequired
from funding.models import ConflictError


def display_value(field: models.Field, value) -> str:
    """A field's value as a person reads it, for conflict messages."""
    if value is None or value == "":
        return _("(empty)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    # "Yours" is what was typed when the field did not validate: show it as typed.
    if isinstance(field, models.DecimalField) and isinstance(value, Decimal | int):
        return format_money(value)
    if isinstance(field, models.DateField) and isinstance(value, datetime.date):
        return formats.date_format(value)
    return str(value)


def field_value(instance, field: models.Field):
    """The comparable value of a field: the key for a relation, the value otherwise."""
    return getattr(instance, field.attname)


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the version it was opened at and refuses a newer row.

    The check in `clean` gives the person a clear message listing what changed; the save itself
    repeats it atomically (`Versioned.save`), so a save that slips in between loses too.
    """

    # Not named `version`: a model form may not list a non-editable model field.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.instance._state.adding:
            self.fields["opened_version"].required = True
            self.initial.setdefault("opened_version", self.instance.version)

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None or instance._state.adding or "opened_version" not in cleaned:
            return cleaned
        opened = cleaned["opened_version"]
        manager = type(instance)._default_manager
        current = manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        if current is not None and opened != current:
            raise ValidationError(self.conflict_messages(opened, current), code="conflict")
        instance.version = opened
        return cleaned

    def conflict_messages(self, opened: int, current: int) -> list[ValidationError]:
        """A headline, then one line per field changed since the form was opened."""
        instance = type(self.instance)._default_manager.get(pk=self.instance.pk)
        records = instance.history.all()
        then = records.filter(version=opened).first()
        latest = records.first()
        changes = []
        for field in instance._meta.concrete_fields:
            if field.name not in self.fields or field.name == "version":
                continue
            yours = self.cleaned_data.get(field.name, self.data.get(self.add_prefix(field.name)))
            if then is not None:
                changed = field_value(then, field) != field_value(instance, field)
            else:
                yours_value = yours.pk if isinstance(yours, models.Model) else yours
                changed = str(field_value(instance, field)) != str(yours_value)
            if changed:
                changes.append((field, getattr(instance, field.name), yours))
        headline = ValidationError(
            _(
                "Someone else saved this %(model)s while you were editing it: %(user)s, at "
                "%(when)s (you opened version %(opened)s, it is now at version %(current)s). "
                "Nothing has been saved. Reload the page to edit the current version."
            ),
            params={
                "model": instance._meta.verbose_name,
                "user": (latest.history_user if latest and latest.history_user else _("unknown")),
                "when": formats.date_format(
                    timezone.localtime(latest.history_date), "DATETIME_FORMAT"
                )
                if latest
                else _("unknown"),
                "opened": opened,
                "current": current,
            },
            code="conflict",
        )
        lines = [
            ValidationError(
                _("%(field)s: their value %(theirs)s, yours %(yours)s"),
                params={
                    "field": str(field.verbose_name).capitalize(),
                    "theirs": display_value(field, theirs),
                    "yours": display_value(field, yours),
                },
                code="conflict",
            )
            for field, theirs, yours in changes
        ]
        return [headline, *lines]


class ReadableChanges(HistoricalRecordContextHelper):
    """History diffs as people read them: status names, euros, yes and no."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        return display_value(field, value)


class SafeHistoryAdmin(GovernedAdminMixin, SimpleHistoryAdmin):
    """simple-history's admin, with reverts that only editors may post and that say what they are.

    Saves refused at the last moment (a conflict, a payment beyond the amount) become messages.
    """

    # Addresses typed without a scheme are taken as https (Django 6's default, asked for now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ConflictError, ValidationError, ApprovalRequired) as error:
            return self.refuse_save(request, error)

    def refuse_save(self, request, error):
        """A save refused after its form was valid (another save won the race): say so."""
        if isinstance(error, ApprovalRequired):
            message = str(error)
        elif isinstance(error, ConflictError):
            message = _(
                "Someone else saved this record at the same moment. Nothing of yours has been "
                "saved; here is the current version."
            )
        else:
            message = " ".join(error.messages)
        self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def require_valid_ids(self, *ids) -> None:
        """Addresses with an id that is not a number are unknown pages, not server errors."""
        for value in ids:
            try:
                self.model._meta.pk.to_python(value)
            except ValidationError:
                raise Http404 from None

    def require_in_scope(self, request, object_id) -> None:
        """Refuses a record the person may not edit (funding/admin/scoping.py); here, none."""

    def history_view(self, request, object_id, extra_context=None):
        self.require_valid_ids(object_id)
        self.require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.require_valid_ids(object_id, version_id)
        self.require_in_scope(request, object_id)
        if request.method == "POST" and not self.has_change_permission(request):
            # simple-history shows the form read-only to viewers but would accept their POST.
            raise PermissionDenied
        history = self.model.history.model
        pk_name = self.model._meta.pk.attname  # on the history model, `pk` is history_id
        request.revert_to = history.objects.filter(
            **{pk_name: object_id, "history_id": version_id}
        ).first()
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except (ConflictError, ValidationError, ApprovalRequired) as error:
            return self.refuse_save(request, error)

    def get_form(self, request, obj=None, change=False, **kwargs):
        record = getattr(request, "revert_to", None)
        if obj is not None and record is not None:
            self.prepare_revert(obj, record)
        return super().get_form(request, obj, change=change, **kwargs)

    def prepare_revert(self, obj, record) -> None:
        """Make the old version `obj` saveable over the current row, as a recorded revert."""
        current = type(obj)._default_manager.filter(pk=obj.pk).first()
        if current is None:
            return
        if hasattr(current, "version"):
            obj.version = current.version
        if hasattr(current, "_saved_status"):
            obj._saved_status = current._saved_status
        if hasattr(current, "four_eyes"):
            # Not in the history (its changes are audited apart): the switch stays as it is.
            obj.four_eyes = current.four_eyes
        obj._reverting = True
        obj._change_reason = _("Reverted to the version of %(date)s") % {
            "date": formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT"),
        }
