"""What the outside world sends, written once: events, topics, bounds, cell reading.

Producers build these structs and the consumer validates against them (docs/contracts.md).
"""
