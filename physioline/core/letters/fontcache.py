"""Embedding the letter fonts, with the subset work done once per process for each glyph set.

ReportLab embeds a TrueType font by cutting a subset of it for every document: it rebuilds a
TrueType file holding only the glyphs used, deflates it, and writes the ToUnicode map and the
widths array. For two DejaVu fonts that was a third of a letter's time, and a batch of letters
uses the same few glyph sets again and again.

:func:`embed_fonts` does what ``TTFont.addObjects`` (ReportLab 5) does for each font a document
used, but keeps the bytes of the three parts that depend only on the font and the subset (the
font file stream, the ToUnicode stream and the widths array) in a cache keyed by the parsed font,
the subset's exact code points in order, and the settings that shape those bytes. Everything that
refers to other objects (the font and descriptor dictionaries) is still made per document, in the
same order, so object numbers and the PDF come out byte for byte as ReportLab's own; a test
renders letters both ways and compares the bytes. It is used only for the letters' own canvas:
other documents in the process (and the benchmark's floor) embed fonts the stock way.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    SUBSETN,
    TTFont,
    makeToUnicodeCMap,
)

# Distinct glyph sets kept (one entry per font per subset, ~25 KiB each deflated).
CACHE_SIZE = 256

_cache: OrderedDict[tuple[Any, ...], tuple[bytes, bytes, bytes]] = OrderedDict()
_lock = threading.Lock()


class _Formatted(pdfdoc.PDFObject):  # type: ignore[misc]  # ReportLab has no type hints
    """A PDF object whose bytes were formatted before (no references inside)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


class _FormattedStream(_Formatted):
    """A formatted stream: like any stream, written as its own object and referred to."""

    __RefOnly__ = 1


def cache_clear() -> None:
    """Forget every cached subset (tests)."""
    with _lock:
        _cache.clear()


def _parts(
    font: TTFont, base_font_name: str, subset: list[int], document: Any
) -> tuple[bytes, bytes, bytes]:
    """The widths array, ToUnicode stream and font file stream of one subset, as PDF bytes."""
    face = font.face
    key = (
        face,  # the parsed font itself: a font registered again from a changed file is a new face
        base_font_name,
        tuple(subset),
        bool(document.compression),
        bool(rl_config.pdfMultiLine),
    )
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    # As ReportLab's TTFont.addObjects and TTFontFace.addSubsetObjects build them.
    widths = pdfdoc.PDFArray(list(map(face.getCharWidth, subset)))
    cmap = pdfdoc.PDFStream()
    cmap.content = makeToUnicodeCMap(base_font_name, subset)
    font_file = pdfdoc.PDFStream()
    font_file.content = face.makeSubset(subset)
    font_file.dictionary["Length1"] = len(font_file.content)
    if document.compression:
        cmap.filters = [pdfdoc.PDFZCompress]
        font_file.filters = [pdfdoc.PDFZCompress]
    parts = (widths.format(document), cmap.format(document), font_file.format(document))
    with _lock:
        _cache[key] = parts
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return parts


def _add_objects(font: TTFont, document: Any) -> None:
    """``TTFont.addObjects`` with the font-only parts taken from the cache."""
    try:
        state = font.state[document]
    except KeyError:
        state = font.state[document] = TTFont.State(font._asciiReadable)
    state.frozen = 1
    face = font.face
    for n, subset in enumerate(state.subsets):
        internal_name = font.getSubsetInternalName(n, document)[1:]
        base_font_name = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
        widths, cmap, font_file = _parts(font, base_font_name, subset, document)

        pdf_font = pdfdoc.PDFTrueTypeFont()
        pdf_font.__Comment__ = f"Font {font.fontName} subset {n}"
        pdf_font.Name = internal_name
        pdf_font.BaseFont = base_font_name
        pdf_font.FirstChar = 0
        pdf_font.LastChar = len(subset) - 1
        pdf_font.Widths = _Formatted(widths)
        pdf_font.ToUnicode = document.Reference(
            _FormattedStream(cmap), "toUnicodeCMap:" + base_font_name
        )
        font_file_ref = document.Reference(
            _FormattedStream(font_file), f"fontFile:{face.filename}({base_font_name})"
        )
        flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": face.ascent,
                "CapHeight": face.capHeight,
                "Descent": face.descent,
                "Flags": flags,
                "FontBBox": pdfdoc.PDFArray(face.bbox),
                "FontName": pdfdoc.PDFName(base_font_name),
                "ItalicAngle": face.italicAngle,
                "StemV": face.stemV,
                "FontFile2": font_file_ref,
                "MissingWidth": face.defaultWidth,
            }
        )
        pdf_font.FontDescriptor = document.Reference(descriptor, "fontDescriptor:" + base_font_name)
        document.Reference(pdf_font, internal_name)
        document.idToObject["BasicFonts"].dict[internal_name] = pdf_font
    del font.state[document]


class _CachedEmbedding:
    """Stands in for a TTFont in ``document.delayedFonts`` at save time."""

    def __init__(self, font: TTFont) -> None:
        self.font = font

    def addObjects(self, document: Any) -> None:  # noqa: N802 - ReportLab's name
        _add_objects(self.font, document)


def embed_fonts(document: Any) -> None:
    """Have the TrueType fonts of ``document`` (a PDFDocument about to save) use the cache.

    Call just before the canvas saves. Only plain TrueType fonts in an unencrypted document are
    taken over; anything else is left to ReportLab.
    """
    if type(document.encrypt) is not pdfdoc.NoEncryption:
        return
    document.delayedFonts = [
        _CachedEmbedding(font)
        if type(font) is TTFont and not getattr(font.face, "_full_font", False)
        else font
        for font in document.delayedFonts
    ]
