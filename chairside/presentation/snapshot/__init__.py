"""The weekly owner snapshot: one shop's last week against its forecast, the next weeks, the
at-risk clients to call and the top insights, as one self-contained HTML file that is written to
CHAIRSIDE_REPORTS_DIR and mailed to the shop's owner.

The numbers come from `chairside.presentation.analytics` (the same queries and insight rules as the
apps), so
the snapshot and the Overview app never disagree.
"""
