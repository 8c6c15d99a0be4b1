"""Deterministic demo data for Chairside: a chain of barber shops as every source records it.

    from chairside.demo import DemoConfig, generate, write_dataset

    dataset = generate(DemoConfig(seed=7, shops=3, years=2.0))
    files = write_dataset(dataset, inbox_dir=inbox, events_dir=events, crm_dir=crm)

The dataset keeps the ground truth (who each person really is, what really happened) next to
each source's records, so tests can judge the pipeline against it.
"""

from chairside.demo.config import DemoConfig
from chairside.demo.dataset import DemoDataset
from chairside.demo.generator import generate
from chairside.demo.writer import WrittenFiles, write_dataset

__all__ = ["DemoConfig", "DemoDataset", "WrittenFiles", "generate", "write_dataset"]
