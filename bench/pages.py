"""The pages `make bench` drives, and who is signed in for each."""

from dataclasses import dataclass

AIFABRIEK = "ai-fabriek-groningen"
BIG = "demo-subsidieregeling"
REFERENCE = "reference"
# A programme whose contributions have 30,000 history rows (`generate_demo_history`), and a day
# in the middle of its history: the page as it stood then (`?on=`).
HISTORY = "demo-geschiedenis"
PAST_DAY = "2025-03-31"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    # "public", "staff" (Policy staff), "team" (a viewer on 50 programmes' teams, in no group;
    # bench/inprocess.py) or "admin" (Funding admins)
    who: str
    # Cold requests (nothing cached) timed in-process, each after retiring the cache; 0: none.
    cold_runs: int = 0

    @property
    def is_export(self) -> bool:
        return "export=" in self.path


PAGES = [
    Page(REFERENCE, "/bench/reference/", "public"),
    Page("/", "/", "public"),
    Page("programme page, AI-fabriek", f"/programmes/{AIFABRIEK}/", "public"),
    Page("programme page, big", f"/programmes/{BIG}/", "public"),
    Page("API detail, AI-fabriek", f"/api/programmes/{AIFABRIEK}/", "public"),
    Page("API detail, big", f"/api/programmes/{BIG}/", "public"),
    Page("API list", "/api/programmes/", "public"),
    Page("past page, history", f"/programmes/{HISTORY}/?on={PAST_DAY}", "public", cold_runs=5),
    Page("API past, history", f"/api/programmes/{HISTORY}/?on={PAST_DAY}", "public", cold_runs=5),
    Page("feed, AI-fabriek", f"/programmes/{AIFABRIEK}/feed/", "public"),
    Page("data package", "/api/datapackage.json", "public"),
    Page("OC4IDS, AI-fabriek", f"/api/programmes/{AIFABRIEK}/oc4ids.json", "public"),
    Page("OC4IDS, all programmes", "/api/oc4ids.json", "public"),
    Page("OC4IDS, big", f"/api/programmes/{BIG}/oc4ids.json", "public"),
    Page("change log, AI-fabriek", f"/programmes/{AIFABRIEK}/changes/", "public"),
    Page("change log, big", f"/programmes/{BIG}/changes/", "public"),
    Page("change log, big, page 3", f"/programmes/{BIG}/changes/?page=3", "public"),
    Page("badge, AI-fabriek", f"/programmes/{AIFABRIEK}/badge.svg", "public"),
    Page("embed, AI-fabriek", f"/programmes/{AIFABRIEK}/embed/", "public"),
    Page("/dashboard/", "/dashboard/", "staff"),
    # The cockpit and portfolio of a person on 50 programmes' teams.
    Page("/dashboard/, team of 50", "/dashboard/", "team"),
    Page("dashboard, AI-fabriek", f"/dashboard/{AIFABRIEK}/", "staff"),
    Page("dashboard, big", f"/dashboard/{BIG}/", "staff"),
    Page("contributions table, big", f"/dashboard/{BIG}/contributions/", "staff"),
    Page(
        "contributions table, big, filtered",
        f"/dashboard/{BIG}/contributions/?status=committed",
        "staff",
    ),
    Page(
        "contributions table, big, sorted",
        f"/dashboard/{BIG}/contributions/?sort=-amount&page=3",
        "staff",
    ),
    Page("admin contributions", "/admin/funding/contribution/", "admin"),
    Page(
        "admin contributions, filtered",
        "/admin/funding/contribution/?status__exact=committed",
        "admin",
    ),
    Page("admin contributions, searched", "/admin/funding/contribution/?q=regeling+3", "admin"),
    Page("CSV export, big", f"/dashboard/{BIG}/contributions/?export=csv", "staff"),
]
