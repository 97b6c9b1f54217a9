"""Importing a programme's contributions from CSV or XLSX, all rows or none.

django-import-export does the work (preview by a dry run in a transaction, then the import in
one transaction); this module says what a valid row is and refuses files that should not be read.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.instance_loaders import CachedInstanceLoader

from funding.admin.governed import proposals_of
from funding.admin.import_batches import (
    BATCH_SIZE,
    contributions_for_update,
    create_contributions,
    hide_new_public,
    propose_publication,
    write_updates,
)
from funding.admin.import_cells import (
    ImportOnlyField,
    KeyOrNameWidget,
    MoneyWidget,
    StatusWidget,
    TextWidget,
    YesNoWidget,
)
from funding.admin.import_formats import SeparatedValues, Workbook
from funding.governance import mail
from funding.governance.proposals import new_batch
from funding.models import (
    Contribution,
    ContributionStatus,
    Organisation,
    Programme,
    Source,
    StatusChange,
)
from funding.models.contributions import transition_allowed

IMPORT_FORMATS = [SeparatedValues, Workbook]
EXTENSIONS = {".csv": SeparatedValues, ".xlsx": Workbook}
REQUIRED_COLUMNS = ["key", "funder", "amount"]


class WholeValueDiff(resources.Diff):
    """The preview's changes as whole old and new values, marked up without inline styles."""

    def as_html(self):
        cells = []
        for old, new in zip(self.left, self.right, strict=False):
            old, new = force_str(old), force_str(new)
            if old == new and not self.new:
                cells.append(conditional_escape(new))
            elif self.new or not old:
                cells.append(format_html("<ins>{}</ins>", new) if new else "")
            else:
                cells.append(
                    format_html(
                        '<del><span class="visually-hidden">{}</span>{}</del> '
                        '<ins><span class="visually-hidden">{}</span>{}</ins>',
                        _("was: "),
                        old,
                        _("becomes: "),
                        new,
                    )
                )
        return cells


class ContributionResource(resources.ModelResource):
    key = fields.Field("key", "key", widget=TextWidget())
    funder = fields.Field("funder", "funder", widget=KeyOrNameWidget(Organisation, "name"))
    instrument = fields.Field("instrument", "instrument", widget=TextWidget())
    amount = fields.Field("amount", "amount", widget=MoneyWidget())
    status = fields.Field("status", "status", widget=StatusWidget())
    notes = fields.Field("notes", "notes", widget=TextWidget())
    is_public = fields.Field("is_public", "public", widget=YesNoWidget(), default=True)
    source = ImportOnlyField("import_source", "source", widget=KeyOrNameWidget(Source, "title"))
    quote = ImportOnlyField("import_quote", "quote", widget=TextWidget())
    effective_on = ImportOnlyField(
        "import_effective_on", "effective_on", widget=widgets.DateWidget("%Y-%m-%d")
    )

    class Meta:
        model = Contribution
        fields = [
            "key",
            "funder",
            "instrument",
            "amount",
            "status",
            "notes",
            "is_public",
            "source",
            "quote",
            "effective_on",
        ]
        import_id_fields = ["key"]
        instance_loader_class = CachedInstanceLoader
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        # Rows are checked one by one and written a batch at a time (`import_batches`).
        use_bulk = True
        batch_size = BATCH_SIZE

    def __init__(self, programme: Programme | None = None, request=None, **kwargs):
        super().__init__(**kwargs)
        self.programme = programme
        self.request = request
        # Under the four-eyes rule: the proposals this import made, approvable together.
        self.batch = new_batch()
        self.held_back = []
        self.user = None
        self.dry_run = True

    def get_diff_class(self):
        return WholeValueDiff

    def get_queryset(self):
        return contributions_for_update(self.programme)

    def before_import(self, dataset, **kwargs):
        if self.programme is None:
            raise ValueError(_("Choose the programme the contributions belong to."))
        headers = [str(header or "").strip() for header in dataset.headers or []]
        missing = [column for column in REQUIRED_COLUMNS if column not in headers]
        if missing:
            raise ValueError(
                _("The file has no column %(columns)s; the first row must name the columns.")
                % {"columns": ", ".join(missing)}
            )
        dataset.headers = headers
        self.keys_in_file = set()
        self.user = kwargs.get("user")

    def after_init_instance(self, instance, new, row, **kwargs):
        instance.programme = self.programme

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        old = getattr(instance, "_saved_status", None)
        status_changes = old and instance.status != old and "status" not in errors
        if status_changes and transition_allowed(old, instance.status):
            change = {
                "old": ContributionStatus(old).label,
                "new": ContributionStatus(instance.status).label,
            }
            effective_on = getattr(instance, "import_effective_on", None)
            if effective_on is None:
                errors.setdefault("import_effective_on", []).append(
                    _("the status changes from %(old)s to %(new)s: give the day it took effect")
                    % change
                )
            elif effective_on > timezone.localdate():
                errors.setdefault("import_effective_on", []).append(
                    _("a decision cannot have taken effect in the future")
                )
            if getattr(instance, "import_source", None) is None:
                errors.setdefault("import_source", []).append(
                    _("the status changes from %(old)s to %(new)s: give its source") % change
                )
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        # What would cost a query per row is checked for the whole file instead: the programme
        # is the form's and the funder was found by its widget (no need to look them up again),
        # amounts below zero were refused by MoneyWidget, and a key is unique in its programme
        # when it is not in the file twice (rows already in the programme are updated).
        exclude = set(errors)
        if instance.programme_id is not None:
            exclude.add("programme")
        if instance.funder_id is not None:
            exclude.add("funder")
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.key in self.keys_in_file:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                instance.unique_error_message(Contribution, ["programme", "key"])
            )
        self.keys_in_file.add(instance.key)
        if errors:
            # Name the columns of the file, not the attributes of the model.
            columns = {field.attribute: field.column_name for field in self.fields.values()}
            error = ValidationError(errors)
            raise ValidationError(
                {columns.get(name, name): messages for name, messages in error.message_dict.items()}
            )

    def before_save_instance(self, instance, row, **kwargs):
        file_name = kwargs.get("file_name") or _("a file")
        instance._change_reason = _("Imported from %(file)s") % {"file": file_name}
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]
        instance.status_change = StatusChange(
            effective_on=getattr(instance, "import_effective_on", None),
            source=getattr(instance, "import_source", None),
            quote=getattr(instance, "import_quote", "") or "",
            note=instance._change_reason,
        )

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.dry_run = dry_run

        def create(instances):
            hidden = hide_new_public(instances, self)
            create_contributions(instances)
            propose_publication(hidden, self)

        self.write_batch(self.create_instances, create, raise_errors, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.dry_run = dry_run

        def update(instances):
            write_updates(instances, self)

        self.write_batch(self.update_instances, update, raise_errors, result)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self.held_back and not self.dry_run and not result.has_errors():
            # The approvers hear of the whole import once; the person sees it after the import.
            mail.proposed(self.held_back)
            if self.request is not None:
                proposals_of(self.request).extend(self.held_back)

    def write_batch(self, instances, write, raise_errors, result):
        """Write a batch (also in the preview, which is rolled back); report what fails."""
        try:
            if instances:
                # A savepoint, so that a failed batch leaves the transaction usable for the
                # report (the whole import is rolled back on any error).
                with transaction.atomic():
                    write(instances)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            instances.clear()


class ContributionImportForm(ImportForm):
    """The upload: a programme and a file; the format follows from the file's extension."""

    programme = forms.ModelChoiceField(
        Programme.objects.all(),
        label=gettext_lazy("Programme"),
        help_text=gettext_lazy("The programme the contributions in the file belong to."),
    )
    field_order = ["programme", "import_file"]

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()
        self.fields["import_file"].widget.attrs["accept"] = ".csv,.xlsx"
        self.fields["import_file"].help_text = _(
            "A CSV file (UTF-8) or an Excel workbook (.xlsx) of at most %(size)s. The first row "
            "names the columns: key, funder, amount and, if you like, instrument, status, notes, "
            "public, source, quote, effective_on (YYYY-MM-DD)."
        ) % {"size": filesizeformat(settings.IMPORT_MAX_FILE_SIZE)}

    @property
    def media(self):
        # The format follows from the extension: no need for import-export's format guessing.
        return forms.Media()

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_FILE_SIZE:
            raise ValidationError(
                _("The file is %(size)s; files of more than %(limit)s are refused.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_FILE_SIZE),
                }
            )
        extension = Path(upload.name).suffix.lower()
        if extension not in EXTENSIONS:
            raise ValidationError(
                _("Only CSV (.csv) and Excel (.xlsx) files can be imported, not “%(name)s”.")
                % {"name": upload.name}
            )
        content = b"".join(upload.chunks())
        upload.seek(0)
        if extension == ".xlsx" and not content.startswith(b"PK\x03\x04"):
            raise ValidationError(_("This is not an Excel workbook, though it is named .xlsx."))
        if extension == ".csv":
            try:
                text = content.decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationError(
                    _(
                        "The file is not encoded in UTF-8. Save it as “CSV UTF-8” in your "
                        "spreadsheet program and upload it again."
                    )
                ) from None
            if "\x00" in text:
                raise ValidationError(_("This is not a text file, though it is named .csv."))
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is not None:
            format_class = EXTENSIONS[Path(upload.name).suffix.lower()]
            cleaned["format"] = str(self.formats.index(format_class))
        return cleaned


class ContributionConfirmImportForm(ConfirmImportForm):
    programme = forms.ModelChoiceField(Programme.objects.all(), widget=forms.HiddenInput)
