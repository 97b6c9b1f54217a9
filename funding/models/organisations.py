from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .versioning import Versioned


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("national government")
    MINISTRY = "ministry", _("ministry")
    REGION = "region", _("region")
    EU = "eu", _("European Union body")
    INSTITUTE = "institute", _("institute")
    CONSORTIUM = "consortium", _("consortium or network")
    COMPANY = "company", _("company")
    OTHER = "other", _("other")


class Organisation(Versioned):
    """A funder, partner or host; a ministry may sit inside a government (its parent)."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(
        _("name in English"),
        max_length=200,
        blank=True,
        help_text=_("Only when the organisation has an English name, such as a ministry."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind, default=OrganisationKind.OTHER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    url = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Source(Versioned):
    """A document figures and dates come from: a press release, a Kamerbrief, a decision."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(
        _("title in English"),
        max_length=300,
        blank=True,
        help_text=_("A rendering for English pages; the original title is always shown too."),
    )
    publisher = models.CharField(_("publisher"), max_length=200)
    publisher_en = models.CharField(_("publisher in English"), max_length=200, blank=True)
    url = models.URLField(_("address"), blank=True)
    published_on = models.DateField(
        _("publication date"), null=True, blank=True, help_text=_("Empty when not known.")
    )
    language = models.CharField(_("language"), max_length=10, default="nl")
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return f"{self.title} ({self.publisher})"

    @property
    def original_language(self) -> str:
        """The language the document, and so its title, is written in."""
        return self.language
