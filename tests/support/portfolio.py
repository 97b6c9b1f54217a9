"""Generated portfolios at chosen sizes, for tests that compare a page's cost at two sizes."""

from dataclasses import dataclass

from funding.demo.data import BIG_SLUG, DemoReport, generate_demo_data

SEED = 7


@dataclass(frozen=True)
class PortfolioSize:
    programmes: int
    contributions: int
    big: int

    def times(self, factor: int) -> "PortfolioSize":
        return PortfolioSize(
            self.programmes * factor, self.contributions * factor, self.big * factor
        )


# Small enough for a test, large enough that every kind of record occurs (non-public ones,
# payments, withdrawn contributions, milestones with two estimates).
SMALL = PortfolioSize(programmes=6, contributions=60, big=30)


def generate_portfolio(size: PortfolioSize = SMALL, *, seed: int = SEED) -> DemoReport:
    """Generate the demo portfolio at `size`, replacing any demo data already there."""
    report = generate_demo_data(
        programmes=size.programmes,
        contributions=size.contributions,
        big=size.big,
        seed=seed,
        replace=True,
    )
    assert report.big_slug == BIG_SLUG
    return report
