"""The numbers every face shows: summaries, listings, scenarios, as-of days, chart data."""
