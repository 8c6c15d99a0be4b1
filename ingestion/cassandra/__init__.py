"""The shops CRM store in Cassandra."""
