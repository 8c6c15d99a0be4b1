"""The spreadsheet inbox: files dropped by shops, parsed to raw DuckDB tables with quarantine."""
