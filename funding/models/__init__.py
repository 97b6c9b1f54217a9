"""The funding domain: who funds which programme, in what state, on whose word, and by when."""

from .audit import AuditEvent, AuditKind
from .contributions import (
    Contribution,
    ContributionShare,
    ContributionSource,
    ContributionStatus,
    StatusChange,
    StatusEvent,
)
from .estimates import DecisionEstimate
from .milestones import DateEstimate, Milestone, MilestoneStatus
from .organisations import Organisation, OrganisationKind, Source
from .payments import Payment
from .programmes import PartnerRole, Programme, Role
from .proposals import Proposal, ProposalAction, ProposalState
from .source_checks import (
    QuoteCheck,
    QuoteState,
    QuotingKind,
    SnapshotOrigin,
    SnapshotOutcome,
    SourceSnapshot,
)
from .teams import ProgrammeMembership, TeamRole
from .versioning import ConflictError

__all__ = [
    "AuditEvent",
    "AuditKind",
    "ConflictError",
    "Contribution",
    "ContributionShare",
    "ContributionSource",
    "ContributionStatus",
    "DateEstimate",
    "DecisionEstimate",
    "Milestone",
    "MilestoneStatus",
    "Organisation",
    "OrganisationKind",
    "PartnerRole",
    "Payment",
    "Programme",
    "Proposal",
    "ProposalAction",
    "ProposalState",
    "ProgrammeMembership",
    "QuoteCheck",
    "QuoteState",
    "QuotingKind",
    "Role",
    "SnapshotOrigin",
    "SnapshotOutcome",
    "Source",
    "SourceSnapshot",
    "StatusChange",
    "StatusEvent",
    "TeamRole",
]
