"""Letter wording files: the small markup the service edits, parsed into blocks (no ReportLab).

The markup is described for editors in resources/letters/README.md. Parsing is pure and cached by
the caller; filling in ``{placeholders}`` escapes every value, so a patient's name or a clinician's
free text can never be read as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

_CONDITION = re.compile(r"^\?\{([a-z_]+)\}\s*")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_INSERT = re.compile(r"^\[\[([a-z_]+)\]\]$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
# C0 controls other than newline, and DEL: never printable, sometimes pasted from other systems.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


class BlockKind(StrEnum):
    """What a block of the markup becomes on the page."""

    HEADING = "heading"  # "# "
    SUBHEADING = "subheading"  # "## "
    PARAGRAPH = "paragraph"
    BULLETS = "bullets"  # "- "
    CALLOUT = "callout"  # "> "
    LINES = "lines"  # "| "
    TABLE = "table"  # ":: Label | value"
    INSERT = "insert"  # "[[name]]"


@dataclass(frozen=True, slots=True)
class Item:
    """One piece of text (a paragraph, bullet, line or table row) and the placeholder it needs."""

    text: str
    condition: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph, list, callout, table or insert, in the order written."""

    kind: BlockKind
    items: tuple[Item, ...]
    children: tuple[Block, ...] = field(default=())  # a callout's content

    @property
    def condition(self) -> str | None:
        """The placeholder that must be non-empty for a one-item block to print."""
        return self.items[0].condition if self.items else None


def _classify(line: str) -> tuple[BlockKind, str]:
    insert = _INSERT.match(line)
    if insert:
        return BlockKind.INSERT, insert.group(1)
    if line.startswith("## "):
        return BlockKind.SUBHEADING, line[3:].strip()
    if line.startswith("# "):
        return BlockKind.HEADING, line[2:].strip()
    if line.startswith("- "):
        return BlockKind.BULLETS, line[2:].strip()
    if line == ">" or line.startswith("> "):
        return BlockKind.CALLOUT, line[2:]
    if line == "|" or line.startswith("| "):
        return BlockKind.LINES, line[2:].rstrip()
    if line.startswith(":: "):
        return BlockKind.TABLE, line[3:].strip()
    return BlockKind.PARAGRAPH, line.strip()


_SINGLE_LINE = {BlockKind.HEADING, BlockKind.SUBHEADING, BlockKind.INSERT}
_MULTI_ITEM = {BlockKind.BULLETS, BlockKind.LINES, BlockKind.TABLE}


def parse(text: str) -> tuple[Block, ...]:
    """Parse markup into blocks.

    Lines starting with ``;`` are notes for editors and are dropped. A blank line ends a block.
    A line starting ``?{name}`` always starts a new paragraph, bullet, line or row, printed only
    when ``{name}`` is not empty.
    """
    blocks: list[Block] = []
    kind: BlockKind | None = None
    items: list[Item] = []
    callout_lines: list[str] = []

    def close() -> None:
        nonlocal kind, items, callout_lines
        if kind is BlockKind.CALLOUT:
            blocks.append(Block(kind, (), parse("\n".join(callout_lines))))
        elif kind is not None and items:
            blocks.append(Block(kind, tuple(items)))
        kind, items, callout_lines = None, [], []

    for raw in text.splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith(";"):
            continue
        if not line.strip():
            close()
            continue
        condition_match = _CONDITION.match(line)
        condition = condition_match.group(1) if condition_match else None
        body = line[condition_match.end() :] if condition_match else line
        continuation = raw[:1].isspace() and condition is None
        line_kind, content = _classify(body.lstrip() if not continuation else body)
        if continuation and kind in (BlockKind.BULLETS, BlockKind.PARAGRAPH) and items:
            last = items[-1]
            items[-1] = Item(f"{last.text} {body.strip()}", last.condition)
            continue
        if line_kind is BlockKind.CALLOUT:
            if kind is not BlockKind.CALLOUT:
                close()
                kind = BlockKind.CALLOUT
            prefix = f"?{{{condition}}} " if condition else ""
            callout_lines.append(prefix + content)
            continue
        if line_kind is BlockKind.PARAGRAPH and kind is BlockKind.PARAGRAPH and condition is None:
            last = items[-1]
            items[-1] = Item(f"{last.text} {content}", last.condition)
            continue
        if line_kind is BlockKind.PARAGRAPH and kind is BlockKind.BULLETS and condition is None:
            last = items[-1]  # an unindented wrapped bullet line
            items[-1] = Item(f"{last.text} {content}", last.condition)
            continue
        if line_kind in _MULTI_ITEM and kind is line_kind:
            items.append(Item(content, condition))
            continue
        close()
        kind = line_kind
        items = [Item(content, condition)]
        if line_kind in _SINGLE_LINE:
            close()
    close()
    return tuple(blocks)


def placeholders(blocks: Iterable[Block]) -> set[str]:
    """Every ``{name}`` used in text or conditions, including inside callouts."""
    found: set[str] = set()
    for block in blocks:
        for item in block.items:
            if block.kind is not BlockKind.INSERT:
                found.update(_PLACEHOLDER.findall(item.text))
            if item.condition:
                found.add(item.condition)
        found |= placeholders(block.children)
    return found


def inserts(blocks: Iterable[Block]) -> set[str]:
    """Every ``[[name]]`` used, including inside callouts."""
    found: set[str] = set()
    for block in blocks:
        if block.kind is BlockKind.INSERT:
            found.add(block.items[0].text)
        found |= inserts(block.children)
    return found


def placeholders_in_text(text: str) -> set[str]:
    """Every ``{name}`` in a single piece of wording (for labels.yaml entries)."""
    return set(_PLACEHOLDER.findall(text))


def clean(value: str) -> str:
    """Drop control characters (keeping newlines) and normalise line endings."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", value)


def escape(value: str) -> str:
    """Escape a value for ReportLab's paragraph markup; newlines become line breaks."""
    value = clean(value).strip()
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("\n", "<br/>")


def fill(text: str, values: Mapping[str, str]) -> str:
    """Turn one piece of markup into ReportLab paragraph markup with every value escaped.

    Raises:
        KeyError: a placeholder has no value (check_letter_resources reports these at start).
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _BOLD.sub(r"<b>\1</b>", text)
    return _PLACEHOLDER.sub(lambda m: escape(values[m.group(1)]), text)


def fill_plain(text: str, values: Mapping[str, str]) -> str:
    """Fill placeholders in wording that is drawn as plain text (headers, footers)."""
    return _PLACEHOLDER.sub(lambda m: clean(values[m.group(1)]).strip(), text)


def is_shown(condition: str | None, values: Mapping[str, str]) -> bool:
    """True when an item has no condition or its placeholder's value is not blank."""
    return condition is None or bool(values.get(condition, "").strip())
