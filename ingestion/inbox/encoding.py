"""Which text encoding a CSV is in, among those the tools shops use actually write.

Excel writes UTF-8 with a BOM ("CSV UTF-8"), Windows-1252 ("CSV"), or UTF-16 with a BOM
("Unicode Text"); a Mac or a web export writes UTF-8; some POS exports write UTF-16 without a BOM.
These are told apart exactly (a BOM, a strict UTF-8 decode) or by the one reliable sign of
BOM-less UTF-16, the zero byte beside every ASCII character. A general detector guessing among
every code page reads a short Windows-1252 file as Windows-1250 (`Hélène` as `Hélčne`), silently.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# UTF-32's BOMs start with UTF-16's, so they are tried first.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE_BYTES = 4096
# Characters no CSV holds: C0 controls other than tab, line breaks, form feed and Ctrl-Z.
_BINARY = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f]")


class NotText(ValueError):
    """The bytes are not text in any encoding the inbox reads; the message says why."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _bomless_utf16(content: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` when a zero byte sits beside most characters, always on the
    same side; text in any 8-bit encoding has no zero bytes at all."""
    sample = content[:_SAMPLE_BYTES]
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    if zeros_odd >= pairs * 0.3 and zeros_even <= zeros_odd * 0.05:
        return "utf-16-le"
    if zeros_even >= pairs * 0.3 and zeros_odd <= zeros_even * 0.05:
        return "utf-16-be"
    return None


def _candidates(content: bytes) -> tuple[str, ...]:
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return (encoding,)
    utf16 = _bomless_utf16(content)
    return (utf16,) if utf16 else ("utf-8", "cp1252")


def decode(content: bytes) -> Decoded:
    """The text and the encoding it was read in, or `NotText` naming what was tried."""
    tried = _candidates(content)
    for encoding in tried:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        binary = _BINARY.search(text)
        if binary is not None:
            raise NotText(
                f"holds binary data (character {ord(binary.group()):#04x} at position "
                f"{binary.start()}), not text: is it a spreadsheet or a CSV at all?"
            )
        return Decoded(text, encoding)
    raise NotText(f"is not text in {' or '.join(tried)}: is it a spreadsheet or a CSV at all?")
