"""The core every other part stands on: settings, the one clock, warehouse access.

It imports no other part of Chairside (import-linter keeps it so).
"""
