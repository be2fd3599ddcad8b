"""Triage protocols: load a region's protocol file, check it, and keep its exact bytes.

A protocol file (``protocols/<id>.yaml``) encodes one body region of clinical-spec.md as data.
Loading is all or nothing: the YAML is composed with line marks (duplicate keys, anchors and
unknown tags refused), validated against ``protocol.schema.json``, built into immutable typed
objects and cross-checked (references, kinds, vocabulary, reachability). Every problem is
reported as ``file:line: what is wrong``; a file with any problem loads nothing.

The loaded :class:`TriageProtocol` keeps the file's bytes and their SHA-256, so an assessment
can store the bytes and reopen with exactly the rules it was decided on (hazard H3).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, NoReturn, TypeAlias

import yaml
import yaml.cyaml
from yaml.composer import ComposerError

from physioline.core.conditions import (
    COMPARISONS,
    AllOf,
    AnswerValue,
    AnyOf,
    Condition,
    ConditionSyntaxError,
    ItemCompare,
    ItemIn,
    ItemIsTrue,
    atoms,
    condition_from_data,
    holds,
    referenced_items,
)
from physioline.core.scoring import (
    TOTAL,
    BoolPoints,
    ItemPoints,
    OptionPoints,
    PointsBand,
    RangePoints,
    RiskGroupRule,
    RiskLimit,
    ScoringRules,
    Subscale,
)
from physioline.core.vocabulary import (
    ABILITY_CANNOT,
    ABILITY_ID_MARKER,
    ABILITY_OPTIONS,
    GENERAL_ITEM_PREFIX,
    PROTOCOL_IDS,
    SECTION_IDS,
    TOOL_SECTION_ID,
    YELLOW_FLAG_TOOL_BY_PROTOCOL,
    Destination,
    Disposition,
    ItemType,
    RiskGroup,
    YellowFlagTool,
    red_flag_dispositions,
)
from physioline.errors import InvalidInput, ProtocolFileError

SCHEMA_FILE_NAME: Final = "protocol.schema.json"
PROTOCOL_SUFFIX: Final = ".yaml"

#: A location inside the parsed file: keys and list indexes from the root.
DataPath: TypeAlias = tuple[str | int, ...]


# --------------------------------------------------------------------------------------------
# Errors


@dataclass(frozen=True, slots=True)
class ProtocolProblem:
    """One thing wrong with a protocol file, at a line (1-based)."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class ProtocolCheckFailed(ProtocolFileError):
    """A protocol file (or set of files) failed to load or check; ``problems`` lists them all."""

    def __init__(self, problems: Sequence[ProtocolProblem]) -> None:
        self.problems: tuple[ProtocolProblem, ...] = tuple(problems)
        first = str(self.problems[0]) if self.problems else "protocol check failed"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else ""
        super().__init__(
            f"{first}{suffix}", "Run 'physioline protocols check' to list every problem."
        )


class UnknownProtocol(InvalidInput):
    """A protocol id that is not one of clinical-spec.md section 2.1."""

    def __init__(self, protocol_id: str) -> None:
        super().__init__(
            f"unknown protocol id {json.dumps(protocol_id)}: valid ids are "
            f"{', '.join(PROTOCOL_IDS)}"
        )
        self.protocol_id = protocol_id


# --------------------------------------------------------------------------------------------
# The loaded protocol


@dataclass(frozen=True, slots=True)
class Option:
    """One answer option of a choice item: ``id`` is what is stored, ``label`` what is shown."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class ProtocolItem:
    """A question on the call (spec 2.2, 2.3)."""

    id: str
    type: ItemType
    question: str
    section: str
    options: tuple[Option, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    show_if: Condition | None = None
    note: str | None = None
    #: True for ``sbt.*`` / ``smsk.*`` items (set by the loader from the protocol's tool).
    is_tool_item: bool = False

    @property
    def option_ids(self) -> tuple[str, ...]:
        """Ids of the options of a choice item (empty for other types)."""
        return tuple(o.id for o in self.options)

    @property
    def is_text(self) -> bool:
        """Free text: never required, never used by rules (spec 2.3)."""
        return self.type is ItemType.TEXT

    @property
    def is_red_flag_screening(self) -> bool:
        """A bool/int/choice item that is not a tool item: must be answered before sign-off."""
        return not self.is_tool_item and not self.is_text

    @property
    def is_ability_question(self) -> bool:
        """An ``….can_…`` yes/no question whose ``no`` means "I cannot" (spec 2.2)."""
        return ABILITY_ID_MARKER in self.id


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the call, in call order; ``item_ids`` are its questions in order."""

    id: str
    title: str
    item_ids: tuple[str, ...]
    guidance: str | None = None


@dataclass(frozen=True, slots=True)
class RedFlagRule:
    """A red-flag rule (spec section 6): when ``condition`` holds, ``action`` is mandated."""

    id: str
    title: str
    condition: Condition
    disposition: Disposition
    destination: Destination | None
    action: str
    sources: tuple[str, ...]
    decisions: tuple[int, ...] = ()
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Advisory:
    """A rationale line suggested without a red flag (e.g. NG65: exactly 3 criteria)."""

    id: str
    condition: Condition
    text: str
    sources: tuple[str, ...]
    unless_red_flags: tuple[str, ...] = ()
    decisions: tuple[int, ...] = ()


@dataclass(frozen=True)
class TriageProtocol:
    """One region's protocol as loaded: immutable, with the exact file bytes and their hash.

    ``items`` are in call order (sections in order, items in order within each); lookups by id
    go through :meth:`item`. Two loads of the same bytes are equal.
    """

    id: str
    version: str
    title: str
    yellow_flag_tool: YellowFlagTool
    reviewed_by: str
    review_date: str | None
    sources: tuple[str, ...]
    sections: tuple[Section, ...]
    items: tuple[ProtocolItem, ...]
    red_flags: tuple[RedFlagRule, ...]
    advisories: tuple[Advisory, ...]
    scoring: ScoringRules
    #: The protocol file's bytes exactly as read (store these to reload the same protocol).
    file_bytes: bytes = field(repr=False)
    #: SHA-256 of ``file_bytes``, 64 lower-case hex digits (spec 9 ``protocol.sha256``).
    sha256: str
    #: Where the bytes came from (a path, or e.g. ``database:protocol_version/<sha>``).
    source_name: str = field(compare=False)
    items_by_id: Mapping[str, ProtocolItem] = field(repr=False, compare=False)
    #: Items ordered so that every ``show_if`` names only earlier items (visibility order).
    visibility_order: tuple[ProtocolItem, ...] = field(repr=False, compare=False)
    #: Line of each location in the file, for problems found after loading (cross-file checks).
    source_lines: Mapping[DataPath, int] = field(repr=False, compare=False)

    def item(self, item_id: str) -> ProtocolItem:
        """The item with this id.

        Raises:
            KeyError: the item is not defined in this protocol.
        """
        return self.items_by_id[item_id]

    def red_flag(self, red_flag_id: str) -> RedFlagRule:
        """The red-flag rule with this id.

        Raises:
            KeyError: no such rule in this protocol.
        """
        for rule in self.red_flags:
            if rule.id == red_flag_id:
                return rule
        raise KeyError(red_flag_id)

    @property
    def screening_items(self) -> tuple[ProtocolItem, ...]:
        """Red-flag screening items (spec 2.3), in call order."""
        return tuple(i for i in self.items if i.is_red_flag_screening)

    @property
    def tool_items(self) -> tuple[ProtocolItem, ...]:
        """Yellow-flag tool items, in call order."""
        return tuple(i for i in self.items if i.is_tool_item)

    def visible_items(
        self, answers: Mapping[str, AnswerValue]
    ) -> tuple[frozenset[str], dict[str, AnswerValue]]:
        """Which items are asked, and the answers with hidden items removed (spec 4.3).

        A hidden item counts as unanswered everywhere, including in other items' ``show_if``,
        so a chain of gated items hides together.

        Returns:
            The ids of the visible items, and the answers of visible items only.
        """
        visible: set[str] = set()
        effective: dict[str, AnswerValue] = {}
        for item in self.visibility_order:
            if item.show_if is None or holds(item.show_if, effective):
                visible.add(item.id)
                value = answers.get(item.id)
                if value is not None:
                    effective[item.id] = value
        return frozenset(visible), effective

    def line_of(self, path: DataPath) -> int:
        """Line in the file of ``path`` or of its nearest enclosing location."""
        return _line_for(self.source_lines, path)


# --------------------------------------------------------------------------------------------
# Public loading API


def load_protocol_bytes(data: bytes, source_name: str) -> TriageProtocol:
    """Load and check one protocol from its file bytes (e.g. as stored in the database).

    Args:
        data: the protocol file's exact bytes; they are kept, and hashed for ``sha256``.
        source_name: how problems name the file (a path, or a database reference).

    Raises:
        ProtocolCheckFailed: anything wrong with the file; ``problems`` lists every problem
            found as ``source:line: message``. Nothing of the file is loaded.
    """
    return _ProtocolLoader(data, source_name).load()


def load_protocol_file(path: Path) -> TriageProtocol:
    """Load and check the protocol file at ``path``; its name must be ``<id>.yaml``.

    Raises:
        ProtocolCheckFailed: the file cannot be read, or anything in it is wrong.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProtocolCheckFailed(
            [ProtocolProblem(str(path), 1, f"cannot read the file: {exc.strerror or exc}")]
        ) from exc
    protocol = load_protocol_bytes(data, str(path))
    expected_name = f"{protocol.id}{PROTOCOL_SUFFIX}"
    if path.name != expected_name:
        raise ProtocolCheckFailed(
            [
                ProtocolProblem(
                    str(path),
                    protocol.line_of(("id",)),
                    f"protocol id {protocol.id!r} must be in a file named {expected_name}",
                )
            ]
        )
    return protocol


def load_protocol(protocol_id: str) -> TriageProtocol:
    """Load the shipped protocol ``protocol_id`` from :func:`physioline.paths.protocols_dir`.

    Raises:
        UnknownProtocol: ``protocol_id`` is not one of spec 2.1.
        ProtocolCheckFailed: the shipped file is missing or broken.
        DataFolderMissing: the protocols folder cannot be found.
    """
    if protocol_id not in PROTOCOL_IDS:
        raise UnknownProtocol(protocol_id)
    from physioline.paths import protocols_dir

    return load_protocol_file(protocols_dir() / f"{protocol_id}{PROTOCOL_SUFFIX}")


def load_all(directory: Path | None = None) -> dict[str, TriageProtocol]:
    """Load every protocol of a folder (default: the shipped protocols), checked as a set.

    The set must hold exactly one file for each of the nine protocol ids, and shared content
    must agree across files (see :func:`check_protocol_set`).

    Returns:
        Protocols by id, in the order of spec 2.1.

    Raises:
        ProtocolCheckFailed: any file or the set has a problem (all problems are listed).
    """
    report = check_paths([directory] if directory is not None else [], require_every_id=True)
    if report.problems:
        raise ProtocolCheckFailed(report.problems)
    return {p.id: p for p in sorted(report.protocols, key=lambda p: PROTOCOL_IDS.index(p.id))}


@dataclass(frozen=True)
class CheckReport:
    """What ``protocols check`` found: the files looked at, those that loaded, every problem."""

    files: tuple[Path, ...]
    protocols: tuple[TriageProtocol, ...]
    problems: tuple[ProtocolProblem, ...]


def protocol_files(directory: Path) -> list[Path]:
    """The protocol files (``*.yaml``) of a folder, sorted by name."""
    return sorted(p for p in directory.iterdir() if p.suffix == PROTOCOL_SUFFIX and p.is_file())


def check_paths(paths: Iterable[Path], *, require_every_id: bool | None = None) -> CheckReport:
    """Check protocol files and folders (default: the shipped protocols folder).

    Each file is loaded on its own; the files that load are then checked as a set. With no
    paths, or when ``require_every_id`` is true, a missing protocol id is a problem too.
    """
    paths = list(paths)
    if not paths:
        from physioline.paths import protocols_dir

        paths = [protocols_dir()]
        if require_every_id is None:
            require_every_id = True
    files: list[Path] = []
    problems: list[ProtocolProblem] = []
    for path in paths:
        if path.is_dir():
            found = protocol_files(path)
            if not found:
                problems.append(ProtocolProblem(str(path), 1, "no protocol files (*.yaml) here"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(ProtocolProblem(str(path), 1, "no such file or folder"))
    protocols: list[TriageProtocol] = []
    for file in files:
        try:
            protocols.append(load_protocol_file(file))
        except ProtocolCheckFailed as exc:
            problems.extend(exc.problems)
    problems.extend(check_protocol_set(protocols))
    if require_every_id:
        present = {p.id for p in protocols}
        broken = {f.stem for f in files} - present
        where = str(paths[0]) if len(paths) == 1 else "protocols"
        problems.extend(
            ProtocolProblem(where, 1, f"no protocol file for {protocol_id!r}")
            for protocol_id in PROTOCOL_IDS
            if protocol_id not in present and protocol_id not in broken
        )
    return CheckReport(tuple(files), tuple(protocols), tuple(problems))


def check_protocol_set(protocols: Sequence[TriageProtocol]) -> list[ProtocolProblem]:
    """Problems that only show across files.

    * one file per protocol id;
    * a red flag id means the same disposition and destination everywhere (spec 6.10);
    * the common ``general.*`` items are identical in every protocol (spec section 5).
    """
    problems: list[ProtocolProblem] = []
    first_by_id: dict[str, TriageProtocol] = {}
    for protocol in protocols:
        earlier = first_by_id.setdefault(protocol.id, protocol)
        if earlier is not protocol:
            problems.append(
                ProtocolProblem(
                    protocol.source_name,
                    protocol.line_of(("id",)),
                    f"protocol id {protocol.id!r} is also defined in {earlier.source_name}",
                )
            )
    unique = list(first_by_id.values())
    first_rule: dict[str, tuple[TriageProtocol, RedFlagRule]] = {}
    for protocol in unique:
        for index, rule in enumerate(protocol.red_flags):
            seen = first_rule.setdefault(rule.id, (protocol, rule))
            other_protocol, other = seen
            if (other.disposition, other.destination) != (rule.disposition, rule.destination):
                problems.append(
                    ProtocolProblem(
                        protocol.source_name,
                        protocol.line_of(("red_flags", index)),
                        f"red flag {rule.id} is {rule.disposition}/{rule.destination} here but "
                        f"{other.disposition}/{other.destination} in {other_protocol.id}: a "
                        "shared red flag id has one disposition and destination (spec 6.10)",
                    )
                )
    reference: TriageProtocol | None = unique[0] if unique else None
    if reference is not None:
        ref_general = _general_items(reference)
        for protocol in unique[1:]:
            general = _general_items(protocol)
            for item_id in sorted(set(ref_general) | set(general)):
                mine, theirs = general.get(item_id), ref_general.get(item_id)
                if mine == theirs:
                    continue
                what = (
                    "is missing"
                    if mine is None
                    else (
                        "is not in " + reference.id
                        if theirs is None
                        else "differs from " + reference.id
                    )
                )
                problems.append(
                    ProtocolProblem(
                        protocol.source_name,
                        _item_line(protocol, item_id),
                        f"common item {item_id} {what}: general.* items are the same in every "
                        "protocol (spec section 5)",
                    )
                )
    return problems


def _general_items(protocol: TriageProtocol) -> dict[str, ProtocolItem]:
    return {i.id: i for i in protocol.items if i.id.startswith(GENERAL_ITEM_PREFIX)}


def _item_line(protocol: TriageProtocol, item_id: str) -> int:
    for s_index, section in enumerate(protocol.sections):
        if item_id in section.item_ids:
            return protocol.line_of(("sections", s_index, "items", section.item_ids.index(item_id)))
    return protocol.line_of(("sections",))


# --------------------------------------------------------------------------------------------
# YAML with line marks


class _Yaml12Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2-style plain scalars: only true/false are booleans (``no`` stays the option id
    "no"), only decimal integers are ints, and dates stay strings."""


for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
        r"|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _Yaml12Resolver.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


class _NoAliasComposer(yaml.composer.Composer):
    """Composes nodes (with line marks) and refuses anchors and aliases: each rule and question
    is written out where it applies, so the file reads word for word."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            raise ComposerError(
                None, None, "aliases (*name) are not allowed in protocol files", _mark(event)
            )
        if getattr(event, "anchor", None) is not None:
            raise ComposerError(
                None, None, "anchors (&name) are not allowed in protocol files", _mark(event)
            )
        return super().compose_node(parent, index)


def _mark(event: Any) -> Any:
    """The event's start mark (a yaml.Mark, or libyaml's equivalent with the same fields)."""
    return getattr(event, "start_mark", None)


class _PureProtocolYamlLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    _NoAliasComposer,
    yaml.constructor.SafeConstructor,
    _Yaml12Resolver,
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _NoAliasComposer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        _Yaml12Resolver.__init__(self)


_CParser: Any = getattr(yaml.cyaml, "CParser", None)  # None when PyYAML lacks libyaml
_ProtocolYamlLoader: Any = _PureProtocolYamlLoader
if _CParser is not None:  # libyaml: the same composer and resolver, several times faster

    class _CProtocolYamlLoader(
        _NoAliasComposer,
        _CParser,  # type: ignore[misc]  # libyaml's parser is untyped
        yaml.constructor.SafeConstructor,
        _Yaml12Resolver,
    ):
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _NoAliasComposer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            _Yaml12Resolver.__init__(self)

    _ProtocolYamlLoader = _CProtocolYamlLoader

_STR_TAG: Final = "tag:yaml.org,2002:str"


class _Problems:
    """Collects problems for one file, locating each by data path."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: dict[DataPath, int] = {(): 1}
        self.items: list[ProtocolProblem] = []

    def add(self, path: DataPath, message: str) -> None:
        self.items.append(ProtocolProblem(self.source, _line_for(self.lines, path), message))

    def add_at_line(self, line: int, message: str) -> None:
        self.items.append(ProtocolProblem(self.source, line, message))

    def fatal(self, line: int, message: str) -> NoReturn:
        self.add_at_line(line, message)
        self.fail_if_any()
        raise AssertionError("unreachable")  # pragma: no cover - fail_if_any raised

    def fail_if_any(self) -> None:
        if self.items:
            problems = sorted(self.items, key=lambda p: p.line)
            raise ProtocolCheckFailed(list(dict.fromkeys(problems)))


def _line_for(lines: Mapping[DataPath, int], path: DataPath) -> int:
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return 1


def _describe_path(path: DataPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _node_to_data(node: yaml.Node, path: DataPath, problems: _Problems) -> object:
    """Plain data from a composed node, recording the line of every location."""
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            problems.add_at_line(node.start_mark.line + 1, f"tag {node.tag} is not allowed")
        out: dict[str, object] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                problems.add_at_line(key_line, "mapping keys must be plain text")
                continue
            key = str(key_node.value)
            if key == "<<":
                problems.add_at_line(key_line, "merge keys (<<) are not allowed in protocol files")
                continue
            if key in first_line:
                problems.add_at_line(
                    key_line,
                    f"duplicate key {key!r} in {_describe_path(path)} "
                    f"(first given at line {first_line[key]})",
                )
                continue
            first_line[key] = key_line
            problems.lines[(*path, key)] = key_line
            out[key] = _node_to_data(value_node, (*path, key), problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            problems.add_at_line(node.start_mark.line + 1, f"tag {node.tag} is not allowed")
        values: list[object] = []
        for index, child in enumerate(node.value):
            problems.lines[(*path, index)] = child.start_mark.line + 1
            values.append(_node_to_data(child, (*path, index), problems))
        return values
    assert isinstance(node, yaml.ScalarNode)  # noqa: S101 - PyYAML has only three node kinds
    return _scalar(node, problems)


def _scalar(node: yaml.ScalarNode, problems: _Problems) -> object:
    value = str(node.value)
    tag = node.tag
    if tag == _STR_TAG:
        return value
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        return int(value)
    if tag == "tag:yaml.org,2002:float":
        lowered = value.lower().lstrip("+")
        if lowered in (".inf", "-.inf", ".nan"):
            return float(lowered.replace(".", ""))
        return float(value)
    if tag == "tag:yaml.org,2002:null":
        return None
    problems.add_at_line(node.start_mark.line + 1, f"tag {tag} is not allowed")
    return None


@lru_cache(maxsize=4)
def _schema_validator(schema_path: Path) -> Any:
    from jsonschema import Draft202012Validator

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_path() -> Path:
    """The shipped ``protocol.schema.json`` (the format every protocol file must follow)."""
    from physioline.paths import protocols_dir

    return protocols_dir() / SCHEMA_FILE_NAME


# --------------------------------------------------------------------------------------------
# Loader and checker


class _ProtocolLoader:
    """Loads one file: YAML → schema → typed objects → cross-checks. All or nothing."""

    def __init__(self, data: bytes, source_name: str) -> None:
        self.data = data
        self.problems = _Problems(source_name)

    def load(self) -> TriageProtocol:
        raw = self._parse_yaml()
        self._validate_schema(raw)
        self.problems.fail_if_any()
        protocol = self._build(raw)
        self.problems.fail_if_any()
        order = self._check(protocol)
        self.problems.fail_if_any()
        assert order is not None  # noqa: S101 - a None order always comes with a problem
        return dataclasses.replace(protocol, visibility_order=order)

    # -- parsing --------------------------------------------------------------------------

    def _parse_yaml(self) -> dict[str, Any]:
        try:
            text = self.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = self.data[: exc.start].count(b"\n") + 1
            self.problems.fatal(line, "the file is not UTF-8 text")
        loader = _ProtocolYamlLoader(text)
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            what = " ".join(p for p in (exc.context, exc.problem) if p)
            self.problems.fatal(mark.line + 1 if mark is not None else 1, f"YAML syntax: {what}")
        except yaml.YAMLError as exc:
            self.problems.fatal(1, f"YAML syntax: {exc}")
        finally:
            loader.dispose()
        if node is None:
            self.problems.fatal(1, "the file is empty")
        data = _node_to_data(node, (), self.problems)
        self.problems.fail_if_any()
        if not isinstance(data, dict):
            self.problems.fatal(1, "a protocol file must be a mapping at the top level")
        return data

    def _validate_schema(self, raw: dict[str, Any]) -> None:
        from jsonschema.exceptions import best_match

        validator = _schema_validator(schema_path())
        condition_schema = validator.schema["$defs"]["condition"]
        errors = sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
        for error in errors:
            path: DataPath = tuple(error.absolute_path)
            message = error.message
            if error.validator == "oneOf" and error.schema is condition_schema:
                # Say which part of the condition is wrong rather than "not valid under any".
                try:
                    condition_from_data(error.instance)
                except ConditionSyntaxError as exc:
                    message, path = exc.message, (*path, *exc.path)
                else:
                    message = "not a condition of spec 4.1"
                    if error.context:
                        detail = best_match(error.context)
                        path = tuple(detail.absolute_path)
                        message = f"{message}: {detail.message}"
            elif error.validator == "oneOf" and error.context:
                detail = best_match(error.context)
                path, message = tuple(detail.absolute_path), detail.message
            elif error.validator == "enum":
                allowed = ", ".join("null" if v is None else str(v) for v in error.validator_value)
                message = f"{json.dumps(error.instance)} is not allowed here; use one of: {allowed}"
            if len(message) > 400:
                message = message[:397] + "..."
            self.problems.add(path, f"{_describe_path(path)}: {message}")

    # -- building -------------------------------------------------------------------------

    def _condition(self, data: object, path: DataPath) -> Condition:
        try:
            return condition_from_data(data)
        except ConditionSyntaxError as exc:
            self.problems.add((*path, *exc.path), exc.message)
            return AnyOf(())

    def _build(self, raw: dict[str, Any]) -> TriageProtocol:
        protocol_id: str = raw["id"]
        tool = YellowFlagTool(raw["yellow_flag_tool"])
        sections: list[Section] = []
        items: list[ProtocolItem] = []
        for s_index, s_raw in enumerate(raw["sections"]):
            ids: list[str] = []
            for i_index, i_raw in enumerate(s_raw["items"]):
                path: DataPath = ("sections", s_index, "items", i_index)
                show_if = (
                    self._condition(i_raw["show_if"], (*path, "show_if"))
                    if "show_if" in i_raw
                    else None
                )
                items.append(
                    ProtocolItem(
                        id=i_raw["id"],
                        type=ItemType(i_raw["type"]),
                        question=i_raw["question"],
                        section=s_raw["id"],
                        options=tuple(
                            Option(o["id"], o["label"]) for o in i_raw.get("options", ())
                        ),
                        minimum=i_raw.get("min"),
                        maximum=i_raw.get("max"),
                        show_if=show_if,
                        note=i_raw.get("note"),
                        is_tool_item=i_raw["id"].startswith(tool.item_prefix),
                    )
                )
                ids.append(i_raw["id"])
            sections.append(Section(s_raw["id"], s_raw["title"], tuple(ids), s_raw.get("guidance")))
        red_flags = tuple(
            RedFlagRule(
                id=r["id"],
                title=r["title"],
                condition=self._condition(r["condition"], ("red_flags", n, "condition")),
                disposition=Disposition(r["disposition"]),
                destination=None if r["destination"] is None else Destination(r["destination"]),
                action=r["action"],
                sources=tuple(r["sources"]),
                decisions=tuple(r.get("decisions", ())),
                notes=r.get("notes"),
            )
            for n, r in enumerate(raw["red_flags"])
        )
        advisories = tuple(
            Advisory(
                id=a["id"],
                condition=self._condition(a["condition"], ("advisories", n, "condition")),
                text=a["text"],
                sources=tuple(a["sources"]),
                unless_red_flags=tuple(a.get("unless_red_flags", ())),
                decisions=tuple(a.get("decisions", ())),
            )
            for n, a in enumerate(raw.get("advisories", ()))
        )
        scoring = self._scoring(raw["scoring"], tool)
        by_id: dict[str, ProtocolItem] = {}
        for item in items:
            by_id.setdefault(item.id, item)
        return TriageProtocol(
            id=protocol_id,
            version=raw["version"],
            title=raw["title"],
            yellow_flag_tool=tool,
            reviewed_by=raw["reviewed_by"],
            review_date=raw["review_date"],
            sources=tuple(raw["sources"]),
            sections=tuple(sections),
            items=tuple(items),
            red_flags=red_flags,
            advisories=advisories,
            scoring=scoring,
            file_bytes=self.data,
            sha256=hashlib.sha256(self.data).hexdigest(),
            source_name=self.problems.source,
            items_by_id=MappingProxyType(by_id),
            visibility_order=tuple(items),  # replaced once the checker has ordered show_if
            source_lines=MappingProxyType(self.problems.lines),
        )

    @staticmethod
    def _scoring(raw: dict[str, Any], tool: YellowFlagTool) -> ScoringRules:
        points: list[ItemPoints] = []
        for p in raw["items"]:
            if "if_true" in p:
                points.append(BoolPoints(p["item"], p["if_true"], p["if_false"]))
            elif "by_option" in p:
                points.append(OptionPoints(p["item"], tuple(p["by_option"].items())))
            else:
                bands = tuple(PointsBand(b["min"], b["max"], b["points"]) for b in p["by_range"])
                points.append(RangePoints(p["item"], bands))
        return ScoringRules(
            tool=tool,
            items=tuple(points),
            subscales=tuple(Subscale(s["id"], tuple(s["items"])) for s in raw["subscales"]),
            risk_groups=tuple(
                RiskGroupRule(
                    RiskGroup(g["risk"]),
                    tuple(RiskLimit(w["score"], w.get("min"), w.get("max")) for w in g["when"]),
                )
                for g in raw["risk_groups"]
            ),
        )

    # -- cross-checks ---------------------------------------------------------------------

    def _check(self, protocol: TriageProtocol) -> tuple[ProtocolItem, ...] | None:
        """Run every cross-check; return the visibility order (None when show_if is unsound)."""
        self._check_header(protocol)
        item_paths = self._check_items(protocol)
        order = self._check_show_if(protocol, item_paths)
        rule_ids = self._check_red_flags(protocol, order)
        self._check_advisories(protocol, rule_ids, order)
        self._check_scoring(protocol)
        return order

    def _check_header(self, protocol: TriageProtocol) -> None:
        expected_tool = YELLOW_FLAG_TOOL_BY_PROTOCOL[protocol.id]
        if protocol.yellow_flag_tool is not expected_tool:
            self.problems.add(
                ("yellow_flag_tool",),
                f"{protocol.id} uses {expected_tool} (spec 2.2), not {protocol.yellow_flag_tool}",
            )
        section_ids = tuple(s.id for s in protocol.sections)
        if section_ids != SECTION_IDS:
            self.problems.add(
                ("sections",),
                f"sections must be {', '.join(SECTION_IDS)} in that order; found "
                f"{', '.join(section_ids)}",
            )

    def _check_items(self, protocol: TriageProtocol) -> dict[str, DataPath]:
        paths: dict[str, DataPath] = {}
        tool = protocol.yellow_flag_tool
        allowed_prefixes = (GENERAL_ITEM_PREFIX, f"{protocol.id}.", tool.item_prefix)
        for s_index, section in enumerate(protocol.sections):
            for i_index, item_id in enumerate(section.item_ids):
                path: DataPath = ("sections", s_index, "items", i_index)
                if item_id in paths:
                    first = _line_for(self.problems.lines, paths[item_id])
                    self.problems.add(
                        (*path, "id"),
                        f"duplicate item id {item_id} (first defined at line {first})",
                    )
                    continue
                paths[item_id] = path
                item = protocol.items_by_id[item_id]
                if not item_id.startswith(allowed_prefixes):
                    self.problems.add(
                        (*path, "id"),
                        f"item {item_id} is not a {protocol.id} item: ids start with "
                        f"{', '.join(allowed_prefixes)} (spec 2.2)",
                    )
                self._check_item(item, path, section.id, tool)
        return paths

    def _check_item(
        self, item: ProtocolItem, path: DataPath, section_id: str, tool: YellowFlagTool
    ) -> None:
        if item.type is ItemType.INT:
            assert item.minimum is not None  # noqa: S101 - int items have min
            assert item.maximum is not None  # noqa: S101 - and max (schema)
            if item.minimum > item.maximum:
                self.problems.add((*path, "min"), f"{item.id}: min is greater than max")
        option_ids = item.option_ids
        for index, option_id in enumerate(option_ids):
            if option_id in option_ids[:index]:
                self.problems.add(
                    (*path, "options", index), f"{item.id}: duplicate option id {option_id!r}"
                )
        if item.is_ability_question and (
            item.type is not ItemType.CHOICE or sorted(option_ids) != sorted(ABILITY_OPTIONS)
        ):
            self.problems.add(
                (*path, "type"),
                f"{item.id} is an ability question: it must be a choice with options "
                f"{' and '.join(ABILITY_OPTIONS)} (spec 2.2, decision 15)",
            )
        if item.is_tool_item:
            if section_id != TOOL_SECTION_ID:
                self.problems.add(
                    (*path, "id"), f"tool item {item.id} belongs in the {TOOL_SECTION_ID} section"
                )
            if item.is_text:
                self.problems.add((*path, "type"), f"tool item {item.id} cannot be free text")
            if item.show_if is not None:
                self.problems.add(
                    (*path, "show_if"), f"tool item {item.id} cannot be conditional (show_if)"
                )
        elif section_id == TOOL_SECTION_ID:
            self.problems.add(
                (*path, "id"),
                f"the {TOOL_SECTION_ID} section holds only {tool.display_name} items "
                f"({tool.item_prefix}*), not {item.id}",
            )

    def _check_atoms(
        self,
        protocol: TriageProtocol,
        condition: Condition,
        path: DataPath,
        owner: str,
        *,
        screening_only: bool,
    ) -> bool:
        """Check every atom names a known item of the right kind. Returns False on a problem."""
        ok = True
        for atom_path, atom in _atoms_with_paths(condition, (*path,)):
            item = protocol.items_by_id.get(atom.item)
            where = (*atom_path, "item")
            if item is None:
                self.problems.add(where, f"{owner} names unknown item {atom.item}")
                ok = False
                continue
            if item.id == owner:
                self.problems.add(where, f"{owner}: show_if cannot depend on the item itself")
                ok = False
                continue
            if item.is_text:
                self.problems.add(where, f"{owner} uses free-text item {item.id}; rules never do")
                ok = False
                continue
            if screening_only and item.is_tool_item:
                self.problems.add(
                    where, f"{owner} uses tool item {item.id}; red flags use screening items only"
                )
                ok = False
                continue
            if isinstance(atom, ItemIsTrue):
                expected = ItemType.BOOL
            elif isinstance(atom, ItemCompare):
                expected = ItemType.INT
            else:
                expected = ItemType.CHOICE
            if item.type is not expected:
                form = {ItemType.BOOL: "'is: true'", ItemType.INT: "a comparison (op, value)"}.get(
                    expected, "'in'"
                )
                self.problems.add(
                    atom_path,
                    f"{owner} tests {item.id} with {form}, which needs a {expected} item; "
                    f"{item.id} is {item.type}",
                )
                ok = False
                continue
            if isinstance(atom, ItemCompare):
                assert item.minimum is not None  # noqa: S101 - int items have min
                assert item.maximum is not None  # noqa: S101 - and max (schema)
                compare = COMPARISONS[atom.op]
                if not any(
                    compare(v, atom.value) for v in _int_representatives(item, [atom.value])
                ):
                    self.problems.add(
                        atom_path,
                        f"{owner}: {atom.item} {atom.op} {atom.value} can never be true "
                        f"({atom.item} is {item.minimum} to {item.maximum})",
                    )
                    ok = False
            elif isinstance(atom, ItemIn):
                for index, option in enumerate(atom.options):
                    if option not in item.option_ids:
                        self.problems.add(
                            (*atom_path, "in", index),
                            f"{owner} names unknown option {option!r} of {item.id} "
                            f"(options: {', '.join(item.option_ids)})",
                        )
                        ok = False
                    elif option in atom.options[:index]:
                        self.problems.add(
                            (*atom_path, "in", index), f"{owner}: option {option!r} given twice"
                        )
                        ok = False
        return ok

    def _check_show_if(
        self, protocol: TriageProtocol, item_paths: dict[str, DataPath]
    ) -> tuple[ProtocolItem, ...] | None:
        """Check every show_if; return the visibility order, or None if show_if is unsound."""
        sound = True
        for item_id, path in item_paths.items():
            item = protocol.items_by_id[item_id]
            if item.show_if is not None and not self._check_atoms(
                protocol, item.show_if, (*path, "show_if"), item_id, screening_only=False
            ):
                sound = False
        if not sound:
            return None
        order, stuck = _visibility_order(protocol.items)
        if stuck:
            self.problems.add(
                (*item_paths[stuck[0].id], "show_if"),
                "show_if conditions depend on each other in a cycle, so these items could never "
                "be shown: " + ", ".join(i.id for i in stuck),
            )
            return None
        for item in order:
            if item.show_if is not None and not _can_be_true(protocol, order, item.show_if):
                self.problems.add(
                    (*item_paths[item.id], "show_if"),
                    f"show_if of {item.id} can never be true, so the item would never be asked",
                )
        return order

    def _check_red_flags(
        self, protocol: TriageProtocol, order: tuple[ProtocolItem, ...] | None
    ) -> set[str]:
        seen: dict[str, int] = {}
        allowed = red_flag_dispositions()
        for index, rule in enumerate(protocol.red_flags):
            path: DataPath = ("red_flags", index)
            if rule.id in seen:
                self.problems.add(
                    (*path, "id"),
                    f"duplicate red flag id {rule.id} (first defined at line {seen[rule.id]})",
                )
            else:
                seen[rule.id] = _line_for(self.problems.lines, (*path, "id"))
            if rule.disposition not in allowed:
                self.problems.add(
                    (*path, "disposition"),
                    f"red flag {rule.id} has disposition {rule.disposition}; a red flag must be "
                    f"one of {', '.join(allowed)} so that it never recommends less than the "
                    "yellow-flag tool would",
                )
            if rule.disposition.stays_in_physiotherapy and rule.destination is not None:
                self.problems.add(
                    (*path, "destination"),
                    f"red flag {rule.id} stays within physiotherapy ({rule.disposition}): its "
                    "destination must be null (spec 2.5)",
                )
            if not rule.disposition.stays_in_physiotherapy and rule.destination is None:
                self.problems.add(
                    (*path, "destination"),
                    f"red flag {rule.id} ({rule.disposition}) needs a destination (spec 2.5)",
                )
            if not rule.action.strip():
                self.problems.add((*path, "action"), f"red flag {rule.id} has no mandated action")
            if not self._check_atoms(
                protocol, rule.condition, (*path, "condition"), rule.id, screening_only=True
            ):
                continue
            for atom_path, atom in _atoms_with_paths(rule.condition, (*path, "condition")):
                item = protocol.items_by_id[atom.item]
                if item.is_ability_question and (
                    not isinstance(atom, ItemIn) or atom.options != (ABILITY_CANNOT,)
                ):
                    self.problems.add(
                        atom_path,
                        f"{rule.id} must test ability question {item.id} as == "
                        f"{ABILITY_CANNOT} (spec 2.2, decision 15)",
                    )
            if order is not None and not _can_be_true(protocol, order, rule.condition):
                self.problems.add(
                    (*path, "condition"),
                    f"red flag {rule.id} can never trigger for any answers (check show_if of "
                    "the items it uses)",
                )
        return set(seen)

    def _check_advisories(
        self, protocol: TriageProtocol, rule_ids: set[str], order: tuple[ProtocolItem, ...] | None
    ) -> None:
        seen: set[str] = set()
        for index, advisory in enumerate(protocol.advisories):
            path: DataPath = ("advisories", index)
            if advisory.id in seen:
                self.problems.add((*path, "id"), f"duplicate advisory id {advisory.id}")
            seen.add(advisory.id)
            for n, rule_id in enumerate(advisory.unless_red_flags):
                if rule_id not in rule_ids:
                    self.problems.add(
                        (*path, "unless_red_flags", n),
                        f"{advisory.id} names unknown red flag {rule_id}",
                    )
            if (
                self._check_atoms(
                    protocol,
                    advisory.condition,
                    (*path, "condition"),
                    advisory.id,
                    screening_only=True,
                )
                and order is not None
                and not _can_be_true(protocol, order, advisory.condition)
            ):
                self.problems.add((*path, "condition"), f"{advisory.id} can never apply")

    def _check_scoring(self, protocol: TriageProtocol) -> None:
        scoring = protocol.scoring
        tool_ids = [i.id for i in protocol.items if i.is_tool_item]
        scored: dict[str, int] = {}
        for index, rule in enumerate(scoring.items):
            path: DataPath = ("scoring", "items", index)
            if rule.item in scored:
                self.problems.add((*path, "item"), f"tool item {rule.item} is scored twice")
                continue
            scored[rule.item] = index
            item = protocol.items_by_id.get(rule.item)
            if item is None or not item.is_tool_item:
                self.problems.add(
                    (*path, "item"),
                    f"scoring names {rule.item}, which is not a "
                    f"{protocol.yellow_flag_tool.display_name} item of this protocol",
                )
                continue
            self._check_item_points(rule, item, path)
        for item_id in tool_ids:
            if item_id not in scored:
                self.problems.add(("scoring", "items"), f"tool item {item_id} has no scoring rule")
        score_names = {TOTAL}
        for index, subscale in enumerate(scoring.subscales):
            path = ("scoring", "subscales", index)
            if subscale.id in score_names:
                self.problems.add((*path, "id"), f"score name {subscale.id!r} is used twice")
            score_names.add(subscale.id)
            for n, item_id in enumerate(subscale.items):
                if item_id not in scored:
                    self.problems.add(
                        (*path, "items", n), f"subscale {subscale.id} names unscored item {item_id}"
                    )
                elif item_id in subscale.items[:n]:
                    self.problems.add((*path, "items", n), f"{item_id} is listed twice")
        for index, group in enumerate(scoring.risk_groups):
            path = ("scoring", "risk_groups", index)
            for n, limit in enumerate(group.when):
                if limit.score not in score_names:
                    self.problems.add(
                        (*path, "when", n, "score"),
                        f"risk group {group.risk} names unknown score {limit.score!r} "
                        f"(known: {', '.join(sorted(score_names))})",
                    )
                if (
                    limit.minimum is not None
                    and limit.maximum is not None
                    and limit.minimum > limit.maximum
                ):
                    self.problems.add((*path, "when", n), "min is greater than max")
        last = len(scoring.risk_groups) - 1
        if scoring.risk_groups[last].when:
            self.problems.add(
                ("scoring", "risk_groups", last, "when"),
                "the last risk group must have no limits (when: []), so that every complete "
                "score gets a risk group",
            )

    def _check_item_points(self, rule: ItemPoints, item: ProtocolItem, path: DataPath) -> None:
        if isinstance(rule, BoolPoints):
            if item.type is not ItemType.BOOL:
                self.problems.add(path, f"{item.id} is {item.type}: if_true/if_false need a bool")
        elif isinstance(rule, OptionPoints):
            if item.type is not ItemType.CHOICE:
                self.problems.add(path, f"{item.id} is {item.type}: by_option needs a choice")
            elif sorted(o for o, _ in rule.points) != sorted(item.option_ids):
                self.problems.add(
                    (*path, "by_option"),
                    f"by_option must give points for exactly the options of {item.id}: "
                    f"{', '.join(item.option_ids)}",
                )
        elif item.type is not ItemType.INT:
            self.problems.add(path, f"{item.id} is {item.type}: by_range needs an int item")
        else:
            assert item.minimum is not None  # noqa: S101 - int items have min
            assert item.maximum is not None  # noqa: S101 - and max (schema)
            covered: list[int] = []
            for band in rule.bands:
                covered.extend(range(band.minimum, band.maximum + 1))
            if sorted(covered) != list(range(item.minimum, item.maximum + 1)):
                self.problems.add(
                    (*path, "by_range"),
                    f"by_range bands must cover {item.minimum} to {item.maximum} once each, "
                    "without gaps or overlaps",
                )


def _atoms_with_paths(
    condition: Condition, path: DataPath
) -> Iterator[tuple[DataPath, ItemIsTrue | ItemCompare | ItemIn]]:
    if isinstance(condition, ItemIsTrue | ItemCompare | ItemIn):
        yield path, condition
        return
    key = "all" if isinstance(condition, AllOf) else "any" if isinstance(condition, AnyOf) else "of"
    for index, sub in enumerate(condition.conditions):
        yield from _atoms_with_paths(sub, (*path, key, index))


def _visibility_order(
    items: Sequence[ProtocolItem],
) -> tuple[tuple[ProtocolItem, ...], tuple[ProtocolItem, ...]]:
    """Items ordered so each show_if names only earlier items, and those caught in a cycle."""
    remaining = list(items)
    placed: set[str] = set()
    order: list[ProtocolItem] = []
    while remaining:
        ready = [
            i
            for i in remaining
            if i.show_if is None or all(dep in placed for dep in referenced_items(i.show_if))
        ]
        if not ready:
            return tuple(order), tuple(remaining)
        for item in ready:
            order.append(item)
            placed.add(item.id)
        remaining = [i for i in remaining if i.id not in placed]
    return tuple(order), ()


def _int_representatives(item: ProtocolItem, thresholds: Iterable[int]) -> list[int]:
    """Values of an int item that between them meet every combination of comparisons."""
    assert item.minimum is not None  # noqa: S101 - int items have min
    assert item.maximum is not None  # noqa: S101 - and max (schema)
    values = {item.minimum, item.maximum}
    for t in thresholds:
        values.update(v for v in (t - 1, t, t + 1) if item.minimum <= v <= item.maximum)
    return sorted(values)


_MAX_ASSIGNMENTS: Final = 200_000


def _can_be_true(
    protocol: TriageProtocol, order: tuple[ProtocolItem, ...], condition: Condition
) -> bool:
    """Whether some answers make ``condition`` true, with hidden items treated as unanswered.

    Every atom is positive (spec 4.1 has no negation), so answering a bool ``true`` never makes
    an atom, a show_if or the condition false: bool items are fixed at ``true``, and only the
    choice and int items involved (the condition's, and those their show_if chains name) are
    enumerated, int items over the values either side of each threshold.
    """
    involved: dict[str, ProtocolItem] = {}
    pending = list(referenced_items(condition))
    while pending:
        item_id = pending.pop()
        if item_id in involved:
            continue
        item = protocol.items_by_id[item_id]
        involved[item_id] = item
        if item.show_if is not None:
            pending.extend(referenced_items(item.show_if))
    conditions = [condition, *(i.show_if for i in involved.values() if i.show_if is not None)]
    thresholds: dict[str, list[int]] = {}
    for cond in conditions:
        for atom in atoms(cond):
            if isinstance(atom, ItemCompare):
                thresholds.setdefault(atom.item, []).append(atom.value)
    fixed: dict[str, AnswerValue] = {}
    choices: list[tuple[str, list[AnswerValue]]] = []
    for item in involved.values():
        if item.type is ItemType.BOOL:
            fixed[item.id] = True
        elif item.type is ItemType.CHOICE:
            choices.append((item.id, list(item.option_ids)))
        elif item.type is ItemType.INT:
            choices.append((item.id, list(_int_representatives(item, thresholds.get(item.id, [])))))
    relevant = [i for i in order if i.id in involved]
    for count, combination in enumerate(itertools.product(*(values for _, values in choices))):
        if count >= _MAX_ASSIGNMENTS:  # pragma: no cover - far beyond any real protocol
            return True
        answers = dict(fixed)
        answers.update(zip((item_id for item_id, _ in choices), combination, strict=True))
        effective: dict[str, AnswerValue] = {}
        for item in relevant:
            if (item.show_if is None or holds(item.show_if, effective)) and item.id in answers:
                effective[item.id] = answers[item.id]
        if holds(condition, effective):
            return True
    return False


__all__ = [
    "Advisory",
    "CheckReport",
    "Option",
    "ProtocolCheckFailed",
    "ProtocolItem",
    "ProtocolProblem",
    "RedFlagRule",
    "Section",
    "TriageProtocol",
    "UnknownProtocol",
    "check_paths",
    "check_protocol_set",
    "load_all",
    "load_protocol",
    "load_protocol_bytes",
    "load_protocol_file",
    "protocol_files",
    "schema_path",
]
