"""The shipped data set as the tests know it: its programme and the records no public face shows."""

AIFABRIEK = "ai-fabriek-groningen"


# Names of records that are not public; no public page, feed or open data may mention them.
HIDDEN_NAMES = ("Hidden Fund", "Confidential step", "Secret memo")
