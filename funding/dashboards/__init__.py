"""The staff dashboards: builders, tables, filters, charts, drill-down and exports."""
