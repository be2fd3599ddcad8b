"""Embedding the letter fonts, with the subset work done once per process for each glyph set.

ReportLab embeds a TrueType font by cutting a subset of it for every document: it rebuilds a
TrueType file holding only the glyphs used, deflates it, and writes the ToUnicode map, the widths
and the font dictionaries. For two DejaVu fonts that was a third of a letter's time, and a batch
of letters uses the same few glyph sets again and again.

:func:`embed_fonts` does what ``TTFont.addObjects`` (ReportLab 5) does for each font a document
used, but keeps the bytes of each subset's objects in a cache keyed by the parsed font, the
subset's exact code points in order, and the settings that shape those bytes: the font file and
ToUnicode streams whole, and the FontDescriptor and Font dictionaries with slots where this
document's object references go. The objects are registered per document in ReportLab's order,
so object numbers and the PDF come out byte for byte as ReportLab's own; a test renders letters
both ways and compares the bytes. It is used only for the letters' own canvas: other documents
in the process (and the benchmark's floor) embed fonts the stock way.

Letters to different patients share subsets: ReportLab gives printable ASCII fixed codes in
every subset, so only characters beyond it (the fixed wording's bullets and middle dots, and a
name's accented, Greek or Cyrillic letters) vary, in their order of first use. In the benchmark's
batch of 500 letters to different fake patients (1 in 10 names accented, 1 in 50 Cyrillic or
Greek), about 6 in 100 subsets are cut afresh; :func:`cache_stats` counts them.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
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
_SLOT = re.compile(rb"\x00slot(\d)\x00")


@dataclass
class _Subset:
    """The bytes of one font subset's objects, the same in every document that uses it."""

    cmap: bytes  # the ToUnicode stream
    font_file: bytes  # the FontFile2 stream
    descriptor: tuple[bytes, ...]  # the FontDescriptor, around its reference to the font file
    fonts: dict[str, tuple[bytes, ...]]  # by internal name: the Font, around its 2 references


@dataclass(frozen=True)
class CacheStats:
    """How often a document's font subset was found in the cache since it was last cleared."""

    hits: int
    misses: int  # each one cut a subset from the font file
    subsets: int  # kept now


_cache: OrderedDict[tuple[Any, ...], _Subset] = OrderedDict()
_lock = threading.Lock()
_counts: Counter[str] = Counter()


class _FormattedStream(pdfdoc.PDFObject):  # type: ignore[misc]  # ReportLab has no type hints
    """A stream formatted before (no references inside), written as its own object."""

    __RefOnly__ = 1

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


class _Slot(pdfdoc.PDFObject):  # type: ignore[misc]  # ReportLab has no type hints
    """Stands for a reference while an object is formatted for the cache."""

    def __init__(self, number: int) -> None:
        self.number = number

    def format(self, document: Any) -> bytes:
        return b"\x00slot%d\x00" % self.number


class _WithReferences(pdfdoc.PDFObject):  # type: ignore[misc]  # ReportLab has no type hints
    """An object formatted before, with this document's references put back in its slots."""

    __RefOnly__ = 1

    def __init__(self, pieces: tuple[bytes, ...], references: tuple[Any, ...]) -> None:
        self.pieces, self.references = pieces, references

    def format(self, document: Any) -> bytes:
        pieces = self.pieces
        out = [pieces[0]]
        for index in range(1, len(pieces), 2):
            out.append(self.references[int(pieces[index])].format(document))
            out.append(pieces[index + 1])
        return b"".join(out)


def _pieces(obj: Any, document: Any) -> tuple[bytes, ...]:
    """``obj`` formatted with its slots left open: text, slot number, text, ..."""
    return tuple(_SLOT.split(pdfdoc.format(obj, document, toplevel=1)))


def cache_clear() -> None:
    """Forget every cached subset and the counts (tests, benchmarks)."""
    with _lock:
        _cache.clear()
        _counts.clear()


def cache_stats() -> CacheStats:
    """Hits and misses so far: a batch of letters to different patients should mostly hit.

    Printable ASCII has the same codes in every subset (ReportLab's ``asciiReadable``, which
    :func:`~physioline.core.letters.render.register_fonts` asks for), so names and addresses in
    plain English letters make no new subsets; a name with accents or in another script does,
    once for each new set of such characters (in their order of first use).
    """
    with _lock:
        return CacheStats(_counts["hits"], _counts["misses"], len(_cache))


def _subset(font: TTFont, base_font_name: str, subset: list[int], document: Any) -> _Subset:
    """One subset's objects as PDF bytes, made the first time that glyph set is used."""
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
            _counts["hits"] += 1
            _cache.move_to_end(key)
            return found
        _counts["misses"] += 1
    # As ReportLab's TTFontFace.addSubsetObjects builds them.
    cmap = pdfdoc.PDFStream()
    cmap.content = makeToUnicodeCMap(base_font_name, subset)
    font_file = pdfdoc.PDFStream()
    font_file.content = face.makeSubset(subset)
    font_file.dictionary["Length1"] = len(font_file.content)
    if document.compression:
        cmap.filters = [pdfdoc.PDFZCompress]
        font_file.filters = [pdfdoc.PDFZCompress]
    descriptor = pdfdoc.PDFDictionary(
        {
            "Type": "/FontDescriptor",
            "Ascent": face.ascent,
            "CapHeight": face.capHeight,
            "Descent": face.descent,
            "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
            "FontBBox": pdfdoc.PDFArray(face.bbox),
            "FontName": pdfdoc.PDFName(base_font_name),
            "ItalicAngle": face.italicAngle,
            "StemV": face.stemV,
            "FontFile2": _Slot(0),
            "MissingWidth": face.defaultWidth,
        }
    )
    found = _Subset(
        cmap=cmap.format(document),
        font_file=font_file.format(document),
        descriptor=_pieces(descriptor, document),
        fonts={},
    )
    with _lock:
        _cache[key] = found
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def _font_pieces(
    font: TTFont,
    cached: _Subset,
    internal_name: str,
    base_font_name: str,
    subset: list[int],
    document: Any,
) -> tuple[bytes, ...]:
    """The Font dictionary as ReportLab's TTFont.addObjects builds it, slots for its references."""
    found = cached.fonts.get(internal_name)
    if found is None:
        pdf_font = pdfdoc.PDFTrueTypeFont()
        pdf_font.Name = internal_name
        pdf_font.BaseFont = base_font_name
        pdf_font.FirstChar = 0
        pdf_font.LastChar = len(subset) - 1
        pdf_font.Widths = pdfdoc.PDFArray(list(map(font.face.getCharWidth, subset)))
        pdf_font.ToUnicode = _Slot(0)
        pdf_font.FontDescriptor = _Slot(1)
        found = cached.fonts[internal_name] = _pieces(pdf_font, document)
    return found


def _add_objects(font: TTFont, document: Any) -> None:
    """``TTFont.addObjects``, with each subset's objects formatted from the cache."""
    try:
        state = font.state[document]
    except KeyError:
        state = font.state[document] = TTFont.State(font._asciiReadable)
    state.frozen = 1
    face = font.face
    for n, subset in enumerate(state.subsets):
        internal_name = font.getSubsetInternalName(n, document)[1:]
        base_font_name = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
        cached = _subset(font, base_font_name, subset, document)
        pieces = _font_pieces(font, cached, internal_name, base_font_name, subset, document)
        # Registered in ReportLab's order, so the objects get the same numbers.
        to_unicode = document.Reference(
            _FormattedStream(cached.cmap), "toUnicodeCMap:" + base_font_name
        )
        font_file = document.Reference(
            _FormattedStream(cached.font_file), f"fontFile:{face.filename}({base_font_name})"
        )
        descriptor = document.Reference(
            _WithReferences(cached.descriptor, (font_file,)), "fontDescriptor:" + base_font_name
        )
        pdf_font = _WithReferences(pieces, (to_unicode, descriptor))
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
    taken over, and not when ReportLab writes debugging comments (which name each object's
    class); anything else is left to ReportLab.
    """
    if type(document.encrypt) is not pdfdoc.NoEncryption or rl_config.pdfComments:
        return
    document.delayedFonts = [
        _CachedEmbedding(font)
        if type(font) is TTFont and not getattr(font.face, "_full_font", False)
        else font
        for font in document.delayedFonts
    ]
