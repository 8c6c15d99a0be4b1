"""The apps as one web service: a home page that lists them in the order people use them, one
line each, and every marimo app at its own path (`/overview/`, `/clients/`, ...; the slash
matters: the redirect from `/overview` drops the query string, `?as_of=` and `?shop=` with it).

`marimo run notebooks/` would serve its generic gallery, alphabetical, with no word on what an
app is for. marimo's ASGI builder mounts each notebook in run mode; the home page is a plain
page beside them, so it loads instantly and works without a kernel.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

import marimo
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Mount, Route

NOTEBOOKS = Path(__file__).parents[3] / "notebooks"


@dataclass(frozen=True)
class App:
    name: str  # the notebook's file stem and its path on the server
    title: str
    line: str  # what it is for, in one line


# In the order people reach for them: today, then last week, the people to call, what comes
# next, the front desk's form, the detail behind each number, and the operator's page last.
APPS = (
    App(
        "today",
        "Today",
        "Calls ringing, answered and missed, bookings and inquiries today, as they happen.",
    ),
    App(
        "overview",
        "Overview",
        "Last week at every shop, what to look at, and the rows behind each number.",
    ),
    App(
        "clients",
        "Clients",
        "Who is drifting away, who to call first and why, and each segment's value.",
    ),
    App(
        "forecasts",
        "Forecasts",
        "The next weeks' visits and revenue with their ranges and track record.",
    ),
    App(
        "front_desk",
        "Front desk",
        "Log a walk-in or phone inquiry, and see today's as they arrive.",
    ),
    App(
        "calls", "Calls", "Calls answered and missed by hour, after hours, and what callers wanted."
    ),
    App(
        "appointments",
        "Appointments",
        "Bookings, no-shows, cancellations, capacity used, and each barber's week.",
    ),
    App("services", "Services", "What clients come in for, and what each service earns."),
    App("inquiries", "Inquiries", "What people ask the front desk, by week and by how they asked."),
    App(
        "data_health",
        "Data health",
        "When each source last loaded, and what was held or set aside, with why.",
    ),
)


def listed_apps(notebooks: Path = NOTEBOOKS) -> list[App]:
    """Every notebook in the folder, the known ones in their order: a notebook added without a
    line here is still served, titled by its name, so nothing is ever unreachable."""
    known = {app.name for app in APPS}
    extra = sorted(path.stem for path in notebooks.glob("*.py") if path.stem not in known)
    present = [app for app in APPS if (notebooks / f"{app.name}.py").exists()]
    return present + [App(name, name.replace("_", " ").capitalize(), "") for name in extra]


def home_page(apps: list[App], query: str) -> str:
    """The home page; `query` (e.g. `as_of=2026-11-16`) is passed on to every app link."""
    suffix = f"?{escape(query, quote=True)}" if query else ""
    items = "".join(
        f'<li><a href="/{quote(app.name)}/{suffix}">{escape(app.title)}</a>'
        + (f"<span>{escape(app.line)}</span>" if app.line else "")
        + "</li>"
        for app in apps
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Chairside</title><style>"
        "body{font-family:Helvetica,Arial,sans-serif;max-width:720px;margin:40px auto;"
        "padding:0 16px;color:#222}h1{font-size:28px;margin-bottom:4px}"
        "ul{list-style:none;padding:0}li{padding:12px 0;border-bottom:1px solid #eee}"
        "a{font-size:18px;color:#1a5fb4;text-decoration:none;font-weight:bold}"
        "span{display:block;color:#555;margin-top:2px}"
        "</style></head><body><h1>Chairside</h1>"
        "<p>Every shop's numbers, forecasts and clients, from one warehouse.</p>"
        f"<ul>{items}</ul></body></html>"
    )


def build(notebooks: Path = NOTEBOOKS) -> Starlette:
    apps = listed_apps(notebooks)
    builder = marimo.create_asgi_app(quiet=True)
    for app in apps:
        builder = builder.with_app(path=f"/{app.name}", root=str(notebooks / f"{app.name}.py"))

    async def home(request: Request) -> HTMLResponse:
        return HTMLResponse(home_page(apps, request.url.query))

    async def health(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[Route("/", home), Route("/health", health), Mount("/", app=builder.build())]
    )
