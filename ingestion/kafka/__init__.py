"""The Kafka source (docs/contracts.md): shop events validated into raw DuckDB tables, exactly once.

Reading goes through a small client interface (`client.py`) with a confluent-kafka and a
kafka-python implementation; `consumer.py` runs bounded batches per topic, `envelope.py` and
`schema.py` decide what is valid, `store.py` writes events, dead letters and offsets in one
transaction. `producer.py` publishes (demo, replay, backfill) and `local_broker.py` starts
librdkafka's mock cluster for the demo, the tests and the benchmark.
"""
