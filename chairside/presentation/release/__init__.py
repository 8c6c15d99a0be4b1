"""Write-audit-publish: readers see a read-only copy of the marts made only after a build whose
blocking checks passed, never the database a build is writing.

DuckDB lets one process write a file and blocks every reader of it meanwhile, and a failed check
does not undo the marts a failing build already wrote. So each good build is copied into an
immutable release (a DuckDB file and Parquet per mart, per audience), and readers follow a
pointer that moves only when a whole release is on disk.

- `store`: where releases live and which one readers see (the pointer).
- `pseudonymise`: the analyst audience's keyed pseudonyms and dropped free text.
- `audit`: the scan that refuses a release with a phone number or email in clear.
- `manifest`: what a release records (run id, as-of date, checks, row counts).
- `publish`: copies the build's marts into a new release and switches readers to it.
- `switch`: the atomic pointer move, rollback and retention.
- `refusal`: the last build that published nothing, and why, for Data health.
- `readers`: the path a reader opens, resolved on every read.
- `export`: a release's marts as Parquet or spreadsheet-safe CSV.
"""
