"""What owners and analysts see: the apps' queries, snapshots, releases, campaigns.

It reads the warehouse through the core; orchestration and the CLI call it.
"""
