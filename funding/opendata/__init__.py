"""The open data: the API's documents and views, OpenAPI, the data package, OC4IDS."""
