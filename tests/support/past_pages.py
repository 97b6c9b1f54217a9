"""What a public programme page shows, as plain values: to compare today's page with the page
as it stood on a day (funding/figures/past/)."""


def page_figures(page) -> dict:
    """Every figure and record the page shows, by value (live records and records rebuilt from
    history compare equal when they hold the same)."""
    return {
        "programme": (page.programme.name, page.programme.target, page.programme.target_source_id),
        "summary": page.summary,
        "totals": page.totals,
        "scenarios": page.scenarios,
        "contributions": [
            (
                c.key,
                c.funder_id,
                c.instrument,
                c.amount,
                c.status,
                [(s.organisation_id, s.amount) for s in c.shares.all()],
                [citation.source_id for citation in c.citations.all()],
            )
            for c in page.contributions
        ],
        "pages": (page.contribution_page.count, page.contribution_page.pages),
        "partners": [(p.organisation_id, p.role, p.source_id) for p in page.partners],
        "milestones": [
            (
                view.milestone.key,
                view.milestone.title,
                view.milestone.status,
                view.milestone.reached_on,
                view.overdue,
                [(e.precision, e.year, e.period, e.day, e.source_id) for e in view.estimates],
            )
            for view in page.milestones
        ],
        "sources": [
            (cited.source.key, [(p.what, p.quote) for p in cited.passages])
            for cited in page.sources
        ],
    }
