"""A public programme page as it stood at the end of a past day, rebuilt from the kept history.

`days`: which day a request asks for (`?on=YYYY-MM-DD`) and when that day ended; `versions`:
each record as it stood at a moment, from django-simple-history's rows; `page`: the page's
context (the same `ProgrammePage` as today's page, so the same templates and open data
documents show it). See docs/decisions.md, "Pages as they stood".
"""
