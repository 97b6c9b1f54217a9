"""Which changes wait for a second person: the four-eyes rule's field lists, in one place.

A record is *guarded* when the public sees it (its own public flag, where it has one, and those
of the records it hangs from, up to its programme) and its programme's four-eyes switch is on.
On a guarded record, a change to a field listed here is a proposal until another approver
approves it; so are creating a record that would be public at once, making a record public, and
deleting a guarded record. Everything else (free texts: notes, descriptions, English texts,
quotes, source titles; records nobody outside sees) changes at once.

The models call `refusal_for_save`, `refusal_for_delete` and `refusal_for_update` and raise
`ApprovalRequired` on an answer; the admin calls `guarded_changes` first and turns those
changes into proposals instead (funding/admin/governed.py).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from funding.governance.context import SWITCH, current_mode

# What simple-history records as the reason of a change applied through an approval: the
# public change log reads it to say that a second person approved the change.
APPROVED_REASON = "four-eyes: approved"

DATE_FIELDS = ("precision", "year", "period", "day")


@dataclass(frozen=True)
class Rule:
    fields: tuple[str, ...]  # the guarded fields (money, status, dates, publication)
    parent: str | None  # the relation to the record whose publication gates this one
    own_flag: bool  # whether the record has its own `is_public`


# Per model (app label and lower-case model name): money, status, dates, publication.
RULES: dict[str, Rule] = {
    "funding.programme": Rule(("target", "is_public"), None, True),
    "funding.contribution": Rule(("amount", "status", "is_public"), "programme", True),
    "funding.contributionshare": Rule(("amount",), "contribution", False),
    "funding.payment": Rule(("amount", "paid_on", "contribution"), "contribution", False),
    "funding.milestone": Rule(("status", "reached_on", "is_public"), "programme", True),
    "funding.dateestimate": Rule(DATE_FIELDS, "milestone", False),
    "funding.decisionestimate": Rule(DATE_FIELDS, "contribution", False),
    "funding.partnerrole": Rule(("is_public",), "programme", True),
}


class ApprovalRequired(Exception):
    """A change to what the public sees, made without an approval: it must be proposed."""

    def __init__(self, instance, fields):
        self.instance = instance
        self.fields = sorted(fields)
        super().__init__(
            _(
                "%(model)s “%(record)s” is public and its programme applies the four-eyes "
                "rule: %(fields)s can only change through a proposal that another approver "
                "approves."
            )
            % {
                "model": str(instance._meta.verbose_name).capitalize(),
                "record": instance,
                "fields": ", ".join(self.fields),
            }
        )


def label_of(model) -> str:
    return model._meta.label_lower


def rule_for(model) -> Rule | None:
    return RULES.get(label_of(model))


def _related_model(model, name):
    return model._meta.get_field(name).related_model


def gate_paths(model) -> tuple[list[str], str, str]:
    """The lookups of a record's public flags, its programme's switch and its programme's id."""
    rule = rule_for(model)
    if rule.parent is None:
        return ["is_public"], "four_eyes", "id"
    flags, switch, programme = gate_paths(_related_model(model, rule.parent))
    prefix = f"{rule.parent}__"
    own = ["is_public"] if rule.own_flag else []
    return (
        own + [prefix + flag for flag in flags],
        prefix + switch,
        prefix + programme,
    )


def to_json(field: models.Field, value):
    """A field's value as the proposals store it: money and dates as strings, keys as ids."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def from_json(field: models.Field, value):
    if value is None:
        return None
    if field.is_relation:
        return field.target_field.to_python(value)
    return field.to_python(value)


def attname(model, name: str) -> str:
    return model._meta.get_field(name).attname


def _stored(model, pk, names):
    """The record's stored guarded values, public flags and switch: one query."""
    flags, switch, programme = gate_paths(model)
    lookups = [attname(model, name) for name in names]
    row = model._base_manager.filter(pk=pk).values(*lookups, *flags, switch, programme).first()
    return row, flags, switch, programme


def parent_gate(instance) -> tuple[bool, bool, int | None]:
    """For a record not yet saved: (its parents are all public, the switch is on, programme)."""
    model = type(instance)
    rule = rule_for(model)
    if rule.parent is None:
        return True, instance.four_eyes, None
    parent_model = _related_model(model, rule.parent)
    parent_id = getattr(instance, attname(model, rule.parent))
    if parent_id is None:
        return False, False, None
    flags, switch, programme = gate_paths(parent_model)
    row = parent_model._base_manager.filter(pk=parent_id).values(*flags, switch, programme).first()
    if row is None:
        return False, False, None
    return all(row[flag] for flag in flags), row[switch], row[programme]


@dataclass
class GuardedChange:
    """What a save would change that the rule guards, with the values before and after."""

    action: str  # "change", "create" or "delete"
    programme_id: int | None
    before: dict
    after: dict

    @property
    def fields(self) -> list[str]:
        return sorted(set(self.after) | set(self.before))


def guarded_changes(instance) -> GuardedChange | None:
    """The guarded part of saving `instance` as it now is, or None when it may be saved."""
    model = type(instance)
    rule = rule_for(model)
    if rule is None:
        return None
    fields = [model._meta.get_field(name) for name in rule.fields]
    if instance._state.adding or instance.pk is None:
        parents_public, switch, programme_id = parent_gate(instance)
        own_public = instance.is_public if rule.own_flag else True
        if not (parents_public and switch and own_public):
            return None
        if label_of(model) == "funding.programme":
            programme_id = None
        after = {f.name: to_json(f, getattr(instance, f.attname)) for f in fields}
        return GuardedChange("create", programme_id, {}, after)
    row, flags, switch, programme = _stored(model, instance.pk, rule.fields)
    if row is None or not row[switch]:
        return None
    parents = [flag for flag in flags if flag != "is_public" or not rule.own_flag]
    if not all(row[flag] for flag in parents):
        return None
    changed = {
        f.name: (row[f.attname], getattr(instance, f.attname))
        for f in fields
        if to_json(f, row[f.attname]) != to_json(f, getattr(instance, f.attname))
    }
    if not changed:
        return None
    was_public = row["is_public"] if rule.own_flag else True
    if not was_public and not (rule.own_flag and instance.is_public):
        return None  # a record nobody outside sees, staying so
    return GuardedChange(
        "change",
        row[programme],
        {name: to_json(model._meta.get_field(name), old) for name, (old, _new) in changed.items()},
        {name: to_json(model._meta.get_field(name), new) for name, (_old, new) in changed.items()},
    )


def guarded_deletion(instance) -> GuardedChange | None:
    """Deleting a record the public sees, under the rule: its values as they are, or None."""
    model = type(instance)
    rule = rule_for(model)
    if rule is None or instance.pk is None:
        return None
    row, flags, switch, programme = _stored(model, instance.pk, rule.fields)
    if row is None or not row[switch] or not all(row[flag] for flag in flags):
        return None
    before = {
        name: to_json(model._meta.get_field(name), row[attname(model, name)])
        for name in rule.fields
    }
    return GuardedChange("delete", row[programme], before, {})


def may_pass() -> bool:
    """Whether a context lets guarded changes through (an approval, break-glass, a seed)."""
    return current_mode() not in (None, SWITCH)


def refusal_for_save(instance) -> None:
    """Raises ApprovalRequired when saving `instance` would change a guarded field alone."""
    if label_of(type(instance)) == "funding.programme":
        _check_switch(instance)
    if may_pass():
        return
    change = guarded_changes(instance)
    if change is not None:
        raise ApprovalRequired(instance, change.fields)


def refusal_for_delete(instance) -> None:
    if may_pass():
        return
    change = guarded_deletion(instance)
    if change is not None:
        raise ApprovalRequired(instance, [_("deletion")])


def refusal_for_update(queryset, names) -> None:
    """QuerySet.update of guarded fields: refused when any row it touches is guarded."""
    model = queryset.model
    rule = rule_for(model)
    is_programme = label_of(model) == "funding.programme"
    if is_programme and "four_eyes" in names and current_mode() != SWITCH:
        raise ApprovalRequired(model(), ["four_eyes"])
    if rule is None or may_pass():
        return
    touched = set(names) & set(rule.fields)
    if not touched:
        return
    flags, switch, _programme = gate_paths(model)
    parents = [flag for flag in flags if flag != "is_public" or not rule.own_flag]
    guarded = queryset.filter(**{switch: True}, **{flag: True for flag in parents})
    if rule.own_flag and touched != {"is_public"}:
        guarded_rows = guarded.filter(is_public=True) | guarded.filter(is_public=False).exclude(
            is_public=names.get("is_public", False)
        )
    elif rule.own_flag:
        guarded_rows = guarded.exclude(is_public=names["is_public"])
    else:
        guarded_rows = guarded
    first = guarded_rows.order_by().first()
    if first is not None:
        raise ApprovalRequired(first, touched)


def refusal_for_bulk_delete(queryset) -> None:
    """QuerySet.delete: refused when any row it deletes is guarded."""
    model = queryset.model
    if rule_for(model) is None or may_pass():
        return
    flags, switch, _programme = gate_paths(model)
    first = queryset.filter(**{switch: True}, **{flag: True for flag in flags}).order_by().first()
    if first is not None:
        raise ApprovalRequired(first, [_("deletion")])


def _check_switch(programme) -> None:
    """The four-eyes switch changes only through `switch.set_four_eyes` (checked, audited)."""
    if programme._state.adding or programme.pk is None or current_mode() == SWITCH:
        return
    stored = type(programme)._base_manager.filter(pk=programme.pk).values("four_eyes").first()
    if stored is not None and stored["four_eyes"] != programme.four_eyes:
        raise ApprovalRequired(programme, ["four_eyes"])
