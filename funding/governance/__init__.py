"""The four-eyes rule: a change to what the public sees waits for a second person's approval.

rules.py says which fields of which records are guarded and when; context.py holds the one
switch (a context variable) that lets a change through: an approval being applied, a
break-glass use, or a seed of a programme the database never held. proposals.py proposes,
approves, rejects, withdraws and applies; switch.py turns the rule off and on per programme;
mail.py tells approvers and proposers; queries.py is what the dashboard reads.
"""
