"""Generated demo portfolios, for trying the site and measuring it at scale."""
