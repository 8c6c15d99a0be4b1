"""The shop simulator: live shop traffic into Kafka (and the CRM in Cassandra) at a set rate.

    from chairside.demo.simulator import SimulatorConfig, simulate

    report = simulate(SimulatorConfig(rate=5.0, duration=30.0), kafka=settings.kafka)

It draws shops, staff, prices and people from the demo generator (`chairside.demo`) and writes
the same contract envelopes, stamped with the present, so a fresh deployment shows data
flowing within minutes.
"""

from chairside.demo.simulator.run import SimulationReport, SimulatorConfig, simulate

__all__ = ["SimulationReport", "SimulatorConfig", "simulate"]
