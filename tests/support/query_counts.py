"""The queries each public page and document costs on a cold cache, however large the data."""

# Cold: the page's rows and totals, plus one query for the newest edit (Last-Modified); pages
# and documents of one programme add one for the day its figures hold as of.
COLD_QUERIES = {
    "/": 3,  # how many programmes are public, one page of them with their totals
    "/?q=scale&sort=-share&page=2": 4,  # and how many match
    # The programme, its totals (3), a page of contributions with their co-funders and sources
    # (3), partners, milestones (their estimates when there are any), the largest pending
    # requests with the scenario figures, the day the figures hold as of, and the newest edit.
    # The API adds the pending requests' expected decisions.
    "/programmes/scheme/": 12,
    "/programmes/scheme/?funder=Funder+1&page=2": 13,  # and how many match
    # The programme and the newest entries of its change log; then the rows of each kind among
    # them (status events, milestones, estimates: here none, as bulk-created grants have none).
    "/programmes/scheme/feed/": 2,
    "/api/programmes/": 3,  # with the day each programme's figures hold as of
    "/api/programmes/scheme/": 13,
    "/api/programmes/scheme/contributions/?page=2": 11,
    "/api/datapackage.json": 2,  # the public programmes, and the newest edit
    # The programme with its totals; its contributions with their co-funders, sources, status
    # events and payments (5); partners, milestones and their estimates; the day its figures
    # hold as of; and the newest edit. The package of every programme counts them and reads
    # the page's ids first.
    "/api/programmes/scheme/oc4ids.json": 11,
    "/api/oc4ids.json?page=3": 13,
    "/api/openapi.json": 0,  # the same for any data
}
