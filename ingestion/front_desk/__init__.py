"""The front-desk form's inquiries: validated as the inbox validates a front-desk log, written
to `chairside.inquiries.v1` (and the CRM's `inquiries_by_day` when Cassandra is configured)."""
