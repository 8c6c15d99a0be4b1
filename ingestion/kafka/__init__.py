"""The Kafka source (docs/contracts.md): shop events validated into raw DuckDB tables, exactly once.

Reading goes through a small client interface (`client.py`) with a confluent-kafka and a
kafka-python implementation; `consumer.py` runs bounded batches per topic, `envelope.py`
validates each message against the contract's structs (`chairside/contracts/events.py`),
`store.py` writes events, dead letters and offsets in one transaction. `producer.py` publishes
(demo, replay, backfill); the demo's local broker is `chairside/demo/local_broker.py`.
"""
