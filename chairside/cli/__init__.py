"""The `chairside` command line, the top of the house: it may call every part."""
