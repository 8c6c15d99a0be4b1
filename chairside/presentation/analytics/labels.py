"""Column headings in people's words: every table in the apps shows these, never a column name.

One mapping for every app, so a measure reads the same on every page: the KPIs' own labels
first, then the other columns the apps' queries return. A column with no entry is spelled out
from its name rather than shown raw.
"""

from __future__ import annotations

from chairside.presentation.analytics.kpis import KPIS

COLUMNS: dict[str, str] = {
    **{kpi.name: kpi.label for kpi in KPIS},
    "actual": "Actual",
    "after_hours": "After hours",
    "age_band": "Age",
    "answer_rate": "Answer rate",
    "answered": "Answered",
    "appointments_started": "Appointments",
    "avg_p_alive": "Still active (avg)",
    "barber": "Barber",
    "booked": "Booked",
    "calls": "Calls",
    "cancellations": "Cancellations",
    "cancelled_by": "Cancelled by",
    "category": "Category",
    "channel": "Channel",
    "client": "Client",
    "clients": "Clients",
    "cohort_month": "First visit in",
    "conversion_rate": "Booked from the call",
    "converted": "Booked",
    "coverage_80": "Weeks inside the 80% range",
    "created_at": "Made",
    "duration_sec": "Seconds",
    "contact": "Phone or email",
    "date": "Date",
    "days_overdue": "Days overdue",
    "days_since_last_visit": "Days since last visit",
    "events": "Events",
    "first_seen": "First seen",
    "forecast": "Forecast",
    "gender": "Gender",
    "held_since": "Held since",
    "home_shop": "Home shop",
    "inquiry": "Inquiry",
    "hours_since": "Hours since",
    "inside_80": "Weeks inside the 80% range",
    "intent": "Asked about",
    "last_loaded_at": "Last loaded",
    "last_visit_date": "Last visit",
    "latest": "Latest",
    "marketing_opt_in": "Opted in to marketing",
    "mase": "Error vs a naive guess (MASE)",
    "mase_seasonal_naive": "Same week last year (MASE)",
    "mean_abs_error": "Typical miss",
    "mean_abs_pct_error": "Typical miss (%)",
    "messages": "Messages",
    "metric": "Measure",
    "missed": "Missed",
    "model": "Model",
    "name": "Name",
    "neither": "Neither",
    "opted_in": "Opted in to marketing",
    "outcome": "Outcome",
    "owners": "Owners",
    "phone": "Phone",
    "predicted_clv_12m": "Value, next 12 months",
    "reason": "Reason",
    "received": "Received",
    "retained_90d": "Back within 90 days",
    "return_rate_90d": "Back within 90 days (%)",
    "revenue": "Revenue",
    "revenue_per_visit": "Revenue per visit",
    "role": "Role",
    "rows": "Rows",
    "scored_at": "Scored",
    "segment": "Segment",
    "service_minutes": "Service minutes",
    "service_name": "Service",
    "share_of_revenue": "Share of revenue",
    "share_of_visits": "Share of visits",
    "shop": "Shop",
    "shop_id": "Shop",
    "shop_name": "Shop",
    "source": "Source",
    "starts": "Starts",
    "staff": "Staff",
    "status": "Status",
    "table_name": "Table",
    "topic": "Topic",
    "trained_through_week": "Trained through the week of",
    "value_at_stake": "Value at stake",
    "visit_count": "Visits so far",
    "visits": "Visits",
    "week_start": "Week of",
    "weeks": "Weeks",
    "why": "Why",
}


def heading(column: str) -> str:
    """The heading a table shows for `column`."""
    if column in COLUMNS:
        return COLUMNS[column]
    words = column.replace("_", " ").strip()
    return words[:1].upper() + words[1:]
