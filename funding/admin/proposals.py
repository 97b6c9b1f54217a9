"""Proposals in the admin: the list, each proposal's before and after, and the decision.

Approve and reject (with a required reason) are offered to those who may approve on the
programme, never to the proposer; the proposer may withdraw. The decision is a POST with CSRF to
`decide_view`, which asks funding/governance/proposals.py again, so a forged POST is refused
(403) whatever the page showed. The programme's four-eyes switch is posted to
`four_eyes_view` (funding/governance/switch.py).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from funding.admin.lists import ProgrammeChoiceFilter
from funding.governance import proposals as governance
from funding.governance.switch import set_four_eyes
from funding.models import Programme, Proposal, ProposalState
from funding.permissions import editable_programme_ids, may_enter_admin


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["subject", "action", "programme", "state", "proposer", "proposed_at"]
    list_filter = ["state", "action", ("programme", ProgrammeChoiceFilter)]
    list_select_related = ["programme", "proposer"]
    search_fields = ["subject", "note", "reason"]
    date_hierarchy = "proposed_at"
    readonly_fields = [
        "programme",
        "content_type",
        "object_id",
        "subject",
        "action",
        "before",
        "after",
        "proposer",
        "proposed_at",
        "note",
        "state",
        "decider",
        "decided_at",
        "reason",
        "batch",
    ]
    exclude = ["extra"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = editable_programme_ids(request.user)
        return queryset if ids is None else queryset.filter(programme_id__in=ids)

    def has_view_permission(self, request, obj=None):
        return may_enter_admin(request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # As for the records (funding/admin/scoping.py): another programme's proposal is a 404,
        # like an unknown one, for a team member.
        if editable_programme_ids(request.user) is not None:
            raise Http404
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)

    def history_view(self, request, object_id, extra_context=None):
        if (
            editable_programme_ids(request.user) is not None
            and self.get_object(request, object_id) is None
        ):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def has_module_permission(self, request):
        return may_enter_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        return [
            path("<path:object_id>/decide/", decide, name="funding_proposal_decide"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if proposal is not None:
            user = request.user
            pending = proposal.state == ProposalState.PENDING
            extra_context |= {
                "may_decide": governance.may_decide(user, proposal),
                "may_withdraw": pending and proposal.proposer_id == user.pk,
                "may_break_glass": pending and governance.break_glass_allowed(user),
                "stale": governance.stale_reason(proposal) if pending else "",
                "batch_size": Proposal.objects.pending().filter(batch=proposal.batch).count()
                if proposal.batch
                else 0,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, object_id):
        try:
            proposal = self.get_queryset(request).select_related("programme").get(pk=object_id)
        except (Proposal.DoesNotExist, ValueError):
            raise Http404 from None
        decision = request.POST.get("decision", "")
        reason = request.POST.get("reason", "")
        user = request.user
        actions = {
            "approve": lambda: governance.approve(proposal, user=user, reason=reason),
            "approve_batch": lambda: governance.approve_batch(
                proposal.batch, user=user, reason=reason
            ),
            "reject": lambda: governance.reject(proposal, user=user, reason=reason),
            "withdraw": lambda: governance.withdraw(proposal, user=user, reason=reason),
            "break_glass": lambda: governance.apply_alone(proposal, user=user, reason=reason),
        }
        if decision not in actions or (decision == "approve_batch" and not proposal.batch):
            raise PermissionDenied(_("Unknown decision."))
        try:
            actions[decision]()
        except governance.ProposalError as error:
            messages.error(request, str(error))
        else:
            proposal.refresh_from_db()
            messages.success(
                request,
                _("The proposal is now %(state)s.") % {"state": proposal.get_state_display()},
            )
        return HttpResponseRedirect(reverse("admin:funding_proposal_change", args=[proposal.pk]))


def four_eyes_view(model_admin, request, object_id):
    """The programme's switch (POST): an approver's decision with a reason, audited."""
    programme = get_object_or_404(Programme, pk=object_id) if object_id.isdigit() else None
    if programme is None:
        raise Http404
    on = request.POST.get("on") == "1"
    try:
        set_four_eyes(programme, on, user=request.user, reason=request.POST.get("reason", ""))
    except governance.ProposalError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The four-eyes rule is on for this programme.")
            if on
            else _("The four-eyes rule is off for this programme: changes apply at once."),
        )
    return HttpResponseRedirect(reverse("admin:funding_programme_change", args=[programme.pk]))
