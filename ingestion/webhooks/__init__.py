"""`chairside webhooks serve`: phone systems' call events over HTTP, published to Kafka."""
