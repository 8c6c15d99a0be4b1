"""The snapshot's charts as PNG images, drawn by the same altair builder the Forecasts app uses.

Gmail and Outlook strip inline SVG, and a mail client runs no script, so a chart must arrive as a
finished raster image: vl-convert renders the Vega-Lite spec without a browser. The file embeds
each image as a data URI (one self-contained page, readable offline); the mail attaches each as
an inline part and points at it by Content-ID, which mail clients show where they block data URIs.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import pandas as pd
import vl_convert
from PIL import Image as Raster

from chairside.presentation.analytics import charts
from chairside.presentation.analytics.forecasts import METRICS
from chairside.presentation.snapshot.content import Snapshot

# Drawn for a 600 px column at twice the pixels, so it stays sharp on a phone's screen.
CHART_WIDTH = 520
SCALE = 2
# A chart has a handful of colours and their anti-aliased edges: a 64-colour palette keeps it
# sharp at a quarter of the bytes of vl-convert's true-colour PNG (about 45 KB, not 180 KB).
PALETTE_COLOURS = 64


@dataclass(frozen=True)
class Image:
    cid: str  # the Content-ID in the mail, unique within one snapshot
    png: bytes
    alt: str

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def cid_uri(self) -> str:
        return f"cid:{self.cid}"


def forecast_images(snapshot: Snapshot) -> dict[str, Image]:
    """One chart per forecast metric with a forecast, keyed by metric."""
    if snapshot.ahead is None or snapshot.ahead.empty:
        return {}
    images = {}
    for metric, label in METRICS.items():
        ahead = snapshot.ahead[snapshot.ahead["metric"] == metric]
        if ahead.empty:
            continue
        history = snapshot.history[snapshot.history["metric"] == metric]
        unit = snapshot.currency if metric == "revenue_total" else "visits"
        figure = charts.forecast(
            history, ahead, _caption(label, history, ahead), unit=unit, width=CHART_WIDTH
        )
        images[metric] = Image(
            cid=f"forecast-{metric}@{snapshot.shop_id}",
            png=_small_png(
                vl_convert.vegalite_to_png(figure.chart.to_json(validate=False), scale=SCALE)
            ),
            alt=f"{label}: the last {len(history)} weeks in black, the next {len(ahead)} "
            "forecast in blue with the range they will likely fall in",
        )
    return images


def _small_png(png: bytes) -> bytes:
    """The same picture on a white ground with an adaptive palette: mail size matters."""
    picture = Raster.open(io.BytesIO(png)).convert("RGBA")
    ground = Raster.new("RGBA", picture.size, "white")
    flat = Raster.alpha_composite(ground, picture).convert("RGB")
    out = io.BytesIO()
    flat.quantize(PALETTE_COLOURS).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _caption(label: str, history: pd.DataFrame, ahead: pd.DataFrame) -> str:
    return f"{label}: the last {len(history)} weeks and the next {len(ahead)}"
