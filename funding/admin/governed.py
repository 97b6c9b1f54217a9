"""The admin's write paths under the four-eyes rule: a guarded change becomes a proposal.

Change forms, inlines, deletes (one or a selection), history reverts (they save through
`save_model`) and, in importing.py, imports: each splits what it would write into what may
change at once (free texts, records nobody outside sees) and what the rule guards
(funding/governance/rules.py), which is recorded as a proposal and left out of the live row.
The models refuse anything that slips past (ApprovalRequired).
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import ngettext

from funding.governance import mail
from funding.governance.proposals import propose, status_change_extra
from funding.governance.rules import (
    GuardedChange,
    from_json,
    guarded_changes,
    guarded_deletion,
    rule_for,
)
from funding.models import Proposal, ProposalAction


def proposals_of(request) -> list:
    if not hasattr(request, "_proposals"):
        request._proposals = []
    return request._proposals


def _restore(obj, change: GuardedChange) -> None:
    """Puts the stored values of the guarded fields back, so the live row keeps them."""
    for name, value in change.before.items():
        field = obj._meta.get_field(name)
        setattr(obj, field.attname, from_json(field, value))
    if hasattr(obj, "status_change"):
        obj.status_change = None


def govern_save(request, obj, changed: list[str], save) -> Proposal | None:
    """Saves `obj` with `save()`, or proposes its guarded part and saves the rest.

    `changed` names the form fields that changed; the record is saved only when one of them
    is not guarded (a free text), so that a proposal alone writes no history row.
    """
    change = guarded_changes(obj)
    if change is None:
        save()
        return None
    user = request.user
    note = getattr(obj, "_change_reason", "") or ""
    if change.action == ProposalAction.CREATE:
        if rule_for(type(obj)).own_flag:
            # Created hidden at once (nobody outside sees it); its publication is the proposal.
            obj.is_public = False
            save()
            change = GuardedChange(
                ProposalAction.CHANGE,
                change.programme_id,
                {"is_public": False},
                {"is_public": True},
            )
        else:
            obj._proposed_only = True
        proposal = propose(obj, change, proposer=user, note=note, notify=False)
    else:
        extra = {}
        if "status" in change.after:
            extra |= status_change_extra(getattr(obj, "status_change", None))
        if getattr(obj, "_reverting", False):
            extra["reverting"] = True
        _restore(obj, change)
        free = set(changed) - set(change.after) - {"opened_version"}
        free -= {"status_effective_on", "status_source", "status_quote"}
        if free:
            save()
        proposal = propose(obj, change, proposer=user, note=note, extra=extra, notify=False)
    proposals_of(request).append(proposal)
    return proposal


def govern_delete(request, obj, delete) -> Proposal | None:
    change = guarded_deletion(obj)
    if change is None:
        delete()
        return None
    proposal = propose(obj, change, proposer=request.user, notify=False)
    proposals_of(request).append(proposal)
    return proposal


def announce(request) -> None:
    """Tells the person what awaits approval, and the approvers by mail (once per request)."""
    proposals = proposals_of(request)
    if not proposals or getattr(request, "_proposals_announced", False):
        return
    request._proposals_announced = True
    mail.proposed(proposals)
    subjects = "; ".join(f"{p.subject} ({', '.join(p.after or p.before)})" for p in proposals)
    messages.warning(
        request,
        ngettext(
            "%(count)s change to what the public sees is awaiting approval by a second person: "
            "%(what)s. The public pages show the approved values until then.",
            "%(count)s changes to what the public sees are awaiting approval by a second person: "
            "%(what)s. The public pages show the approved values until then.",
            len(proposals),
        )
        % {"count": len(proposals), "what": subjects},
    )


class GovernedAdminMixin:
    """For a ModelAdmin of a guarded model and its inlines (before SimpleHistoryAdmin)."""

    change_form_template = "admin/funding/governed_change_form.html"

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        govern_save(
            request,
            obj,
            list(form.changed_data),
            lambda: super(GovernedAdminMixin, self).save_model(request, obj, form, change),
        )

    def save_related(self, request, form, formsets, change):
        if getattr(form.instance, "_proposed_only", False):
            return
        super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        if rule_for(formset.model) is None:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            govern_delete(request, obj, obj.delete)
        changed = {id(f.instance): list(f.changed_data) for f in formset.forms}
        for obj in instances:
            obj._history_user = request.user
            govern_save(request, obj, changed.get(id(obj), []), obj.save)
        formset.save_m2m()

    def delete_model(self, request, obj):
        govern_delete(
            request, obj, lambda: super(GovernedAdminMixin, self).delete_model(request, obj)
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            govern_delete(request, obj, obj.delete)
        announce(request)

    def log_addition(self, request, obj, message):
        if getattr(obj, "_proposed_only", False):
            return None
        return super().log_addition(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        announce(request)
        if getattr(obj, "_proposed_only", False):
            proposal = proposals_of(request)[-1]
            return HttpResponseRedirect(
                reverse("admin:funding_proposal_change", args=[proposal.pk])
            )
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        announce(request)
        return super().response_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        if proposals_of(request):
            announce(request)
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj_id])
            )
        return super().response_delete(request, obj_display, obj_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, object_id) if object_id else None
        if obj is not None and rule_for(self.model) is not None:
            extra_context["pending_proposals"] = list(
                Proposal.objects.pending().for_record(obj).select_related("proposer")
            )
        return super().change_view(request, object_id, form_url, extra_context)
