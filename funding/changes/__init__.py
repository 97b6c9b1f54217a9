"""The change log and the feed: what changed in a public programme, and when."""
