"""The tracker vendor catalog: which hosts belong to which vendor, which paths collect data,
and what each payload key means (page URL, hashed e-mail, clicked text …).

The catalog is data (`patterns/trackers.toml`, `patterns/field_roles.toml`); this module
loads and validates it. A mistake in the data raises `PatternsError` naming file, line and
key, so a new vendor is a data change that cannot fail silently. No mitmproxy import here.

Field keys are matched against what the decoders produce:

* exact key first (`dl`, `ud[em]`, `ep.search_term`, `context.page.url`), then
* the key's dotted suffixes (`properties.$current_url` → `$current_url`; dots inside
  brackets do not split: `cd[Schema.org]` stays whole), also with `[0]`-style array indexes
  dropped (`Evts[2].Args[0]` → `Evts.Args`, `Args`),
* then wildcard keys (`*` matches any run of characters: `ud[*]`, `ep.*`, `properties.*`);
  the wildcard with the most literal characters wins,
* and last the key's dotted prefixes, so a container's children inherit its role
  (`cd[Schema.org].description` → `cd[Schema.org]`).

Vendor keys are case-sensitive; the generic table (for unknown third parties) is not.
"""
from __future__ import annotations

import functools
import importlib.resources
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .decoders.registry import DECODERS
from .memo import RecentMap
from .signatures import Signature, parse_signatures
from .tomlpos import line_of

SCHEMA_VERSION = 1

ROLES = (
    "page_url",  # URL of the page (or a URL the page shows): PHI in paths and queries
    "referrer",
    "title",  # page or document title
    "event",  # event name / category / action
    "user_text",  # free text: clicked-button text, search terms, custom event parameters
    "user_id",  # the site's own user / customer / patient id
    "hashed_id",  # a slot meant for hashed PII (ud[em], u_hem, tv.1~em.…)
    "device_id",  # device, advertising, cookie or click ids
    "contact",  # raw e-mail, phone, name, birth date, address
)

KINDS = (
    "ad_pixel",
    "analytics",
    "tag_manager",
    "session_replay",
    "error_monitoring",
    "rum",
    "product_analytics",
    "attribution",
    "cdp",
)

_VENDOR_KEYS = {"id", "name", "kind", "hosts", "endpoints", "scripts", "decoders", "fields", "signature"}
_VENDOR_REQUIRED = ("id", "name", "kind", "hosts", "endpoints")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_HOST_RE = re.compile(r"^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_PATH_CHARS_RE = re.compile(r"^/[^\s?#]*$")
_ARRAY_INDEX_RE = re.compile(r"\[\d+\]")
_TOML_POS_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END_RE = re.compile(r"\s*\(at end of document\)\s*$")


class PatternsError(Exception):
    """A patterns file is missing, unreadable, not TOML, or says something invalid.

    The message reads `file:line: key: problem`; the parts are also attributes.
    """

    def __init__(self, message: str, *, file: str = "", line: int | None = None, key: str = "") -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.key = key


# -- key → role matching -------------------------------------------------------------------


def _split_dotted(key: str) -> list[str]:
    """Split on dots outside brackets: `cd[Schema.org].name` → ['cd[Schema.org]', 'name']."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(key):
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        elif ch == "." and depth == 0:
            parts.append(key[start:i])
            start = i + 1
    parts.append(key[start:])
    return parts


@functools.lru_cache(maxsize=8192)
def _candidates(key: str) -> tuple[str, ...]:
    """The key, then shorter dotted suffixes; then the same without array indexes."""
    seen: dict[str, None] = {}
    for variant in (key, _ARRAY_INDEX_RE.sub("", key)):
        parts = _split_dotted(variant)
        for i in range(len(parts)):
            suffix = ".".join(parts[i:])
            if suffix:
                seen.setdefault(suffix, None)
    return tuple(seen)


@functools.lru_cache(maxsize=8192)
def _prefixes(key: str) -> tuple[str, ...]:
    """Dotted prefixes, longest first, without array indexes: `a[0].b.c` → ('a.b', 'a')."""
    parts = _split_dotted(_ARRAY_INDEX_RE.sub("", key))
    return tuple(".".join(parts[:n]) for n in range(len(parts) - 1, 0, -1))


def _wildcard_regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), flags | re.S)


ROLE_CACHE_ENTRIES = 8192


class _RoleTable:
    """Key patterns → roles, with exact keys in a dict and wildcards tried in order."""

    def __init__(self, fields: Mapping[str, str], *, ignore_case: bool = False) -> None:
        self._fold = str.lower if ignore_case else (lambda s: s)
        self._exact: dict[str, str] = {}
        wild: list[tuple[int, int, re.Pattern[str], str]] = []
        for order, (key, role) in enumerate(fields.items()):
            if "*" in key:
                literal = len(key) - key.count("*")
                wild.append((-literal, order, _wildcard_regex(self._fold(key)), role))
            else:
                self._exact.setdefault(self._fold(key), role)
        wild.sort(key=lambda item: item[:2])
        self._wild = tuple((rx, role) for _, _, rx, role in wild)
        self._known: dict[str, str] = {}  # payload keys repeat endlessly; bounded, keys are the sender's

    def lookup(self, key: str) -> str:
        if not key:
            return ""
        role = self._known.get(key)
        if role is None:
            role = self._lookup(key)
            if len(self._known) < ROLE_CACHE_ENTRIES:
                self._known[key] = role
        return role

    def _lookup(self, key: str) -> str:
        candidates = _candidates(self._fold(key))
        for candidate in candidates:
            role = self._exact.get(candidate)
            if role:
                return role
        for candidate in candidates:
            role = self._match_wild(candidate)
            if role:
                return role
        # a container's children inherit its role: cd[Schema.org].description → cd[Schema.org]
        for prefix in _prefixes(self._fold(key)):
            role = self._exact.get(prefix) or self._match_wild(prefix)
            if role:
                return role
        return ""

    def _match_wild(self, key: str) -> str:
        for rx, role in self._wild:
            if rx.fullmatch(key):
                return role
        return ""


# -- endpoints and hosts -------------------------------------------------------------------


def _host_matches(pattern: str, host: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern


_PathRule = tuple[str, "re.Pattern[str]"]  # (host or "", compiled path pattern)


def _split_endpoint(entry: str) -> tuple[str, str]:
    """`/g/collect` → ('', '/g/collect'); `content.hotjar.io/` → ('content.hotjar.io', '/')."""
    if entry.startswith("/"):
        return "", entry
    host, slash, path = entry.partition("/")
    return host, slash + path


def _path_regex(pattern: str) -> re.Pattern[str]:
    """Compile an endpoint path pattern.

    `*` matches within one path segment, `**` across segments. A pattern matches the path
    itself and, unless it ends in `$`, anything below it: `/tr` matches `/tr`, `/tr/` and
    `/activity`-style matrix paths (`/tr;x=1`), but not `/track`. A pattern ending in `/`
    matches everything under that directory.
    """
    exact = pattern.endswith("$")
    body = pattern[:-1] if exact else pattern
    regex = "".join(
        ".*" if part == "**" else "[^/]*" if part == "*" else re.escape(part)
        for part in re.split(r"(\*\*|\*)", body)
    )
    if not exact:
        regex += ".*" if body.endswith("/") else "(?:[/;].*)?"
    return re.compile(regex, re.S)


def _normalise_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("["):  # IPv6 literal, maybe with a port
        return host
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host


def _normalise_path(path: str) -> str:
    for sep in ("?", "#"):
        path = path.split(sep, 1)[0]
    return path or "/"


# -- the catalog ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Vendor:
    """One tracker vendor as the catalog describes it.

    `endpoints` are the data-collection paths; `scripts` the tag's loader/config paths
    (requests that fetch code, not send data). Entries starting with a host
    (`content.hotjar.io/`) apply only to that host.
    """

    id: str
    name: str
    kind: str
    hosts: tuple[str, ...]
    endpoints: tuple[str, ...] = ()
    decoders: tuple[str, ...] = ()
    fields: Mapping[str, str] = field(default_factory=dict, hash=False)
    scripts: tuple[str, ...] = ()
    signatures: tuple[Signature, ...] = ()  # collection requests recognised on any host
    _roles: _RoleTable = field(init=False, repr=False, compare=False, hash=False)
    _endpoint_rx: tuple[_PathRule, ...] = field(init=False, repr=False, compare=False, hash=False)
    _script_rx: tuple[_PathRule, ...] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        fields = MappingProxyType(dict(self.fields))
        object.__setattr__(self, "fields", fields)
        object.__setattr__(self, "_roles", _RoleTable(fields))
        object.__setattr__(self, "_endpoint_rx", _compile_paths(self.endpoints))
        object.__setattr__(self, "_script_rx", _compile_paths(self.scripts))

    def role_of(self, key: str) -> str:
        """The role of payload key `key` for this vendor, or "" if the catalog has none."""
        return self._roles.lookup(key)

    def is_endpoint(self, path: str, host: str | None = None) -> bool:
        """True if `path` (query ignored) is one of the vendor's data-collection endpoints.

        Without `host`, host-specific entries are matched on their path alone.
        """
        return _match_paths(self._endpoint_rx, path, host)

    def is_script(self, path: str, host: str | None = None) -> bool:
        """True if `path` is one of the tag's loader/config paths."""
        return _match_paths(self._script_rx, path, host)

    def owns_host(self, host: str) -> bool:
        host = _normalise_host(host)
        return any(_host_matches(pattern, host) for pattern in self.hosts)


def _compile_paths(entries: Iterable[str]) -> tuple[_PathRule, ...]:
    compiled = []
    for entry in entries:
        host, path = _split_endpoint(entry)
        compiled.append((host, _path_regex(path)))
    return tuple(compiled)


def _match_paths(compiled: tuple[_PathRule, ...], path: str, host: str | None) -> bool:
    path = _normalise_path(path)
    norm_host = _normalise_host(host) if host else ""
    for entry_host, rx in compiled:
        if entry_host and norm_host and not _host_matches(entry_host, norm_host):
            continue
        if rx.fullmatch(path):
            return True
    return False


class Catalog:
    """All vendors, indexed by host, plus the generic key → role table."""

    def __init__(self, vendors: Iterable[Vendor], generic_fields: Mapping[str, str] | None = None) -> None:
        self.vendors: tuple[Vendor, ...] = tuple(vendors)
        self.generic_fields: Mapping[str, str] = MappingProxyType(dict(generic_fields or {}))
        self._generic = _RoleTable(self.generic_fields, ignore_case=True)
        self._by_id: dict[str, Vendor] = {}
        self._exact: dict[str, Vendor] = {}
        self._suffix: dict[str, Vendor] = {}  # "clarity.ms" for "*.clarity.ms"
        for vendor in self.vendors:
            if vendor.id in self._by_id:
                raise ValueError(f"duplicate vendor id {vendor.id!r}")
            self._by_id[vendor.id] = vendor
            for pattern in vendor.hosts:
                table, key = (self._suffix, pattern[2:]) if pattern.startswith("*.") else (self._exact, pattern)
                key = key.lower()
                if key in table and table[key] is not vendor:
                    raise ValueError(f"host {pattern!r} claimed by {table[key].id!r} and {vendor.id!r}")
                table[key] = vendor
        self._signatures_by_key, self._keyless_signatures = _index_signatures(self.vendors)
        self._host_vendors = RecentMap()

    def __len__(self) -> int:
        return len(self.vendors)

    def get(self, vendor_id: str) -> Vendor | None:
        return self._by_id.get(vendor_id)

    def vendor_for_host(self, host: str) -> Vendor | None:
        """Exact host first, then the longest matching `*.suffix`; None if no vendor has it."""
        # Asked for every request; a session talks to a few dozen hosts.
        found = self._host_vendors.get(host)
        if found is None:
            found = (self._lookup_host(host),)
            self._host_vendors.put(host, found)
        return found[0]

    def _lookup_host(self, host: str) -> Vendor | None:
        host = _normalise_host(host)
        if not host:
            return None
        vendor = self._exact.get(host)
        if vendor is not None:
            return vendor
        dot = host.find(".")
        while dot >= 0:
            vendor = self._suffix.get(host[dot + 1:])
            if vendor is not None:
                return vendor
            dot = host.find(".", dot + 1)
        return None

    def vendor_for_request(self, host: str, path: str,
                           query_keys: Mapping[str, str] | Iterable[str] = ()) -> tuple[Vendor | None, bool]:
        """(vendor, via_signature): the host's vendor, else the first vendor whose endpoint
        signature the path and parameters match (a first-party gateway, a server-side tag
        manager), else (None, False). `query_keys` are the request's parameter names, or a
        mapping name → value (signatures that check values need it)."""
        vendor = self.vendor_for_host(host)
        if vendor is not None:
            return vendor, False
        vendor = self.vendor_by_signature(path, query_keys)
        return vendor, vendor is not None

    def vendor_by_signature(self, path: str, query_keys: Mapping[str, str] | Iterable[str] = ()) -> Vendor | None:
        """The first vendor whose endpoint signature the path and parameters match, whatever the host."""
        params = query_keys if isinstance(query_keys, (dict, Mapping)) else frozenset(query_keys)
        by_key = self._signatures_by_key
        candidates = [entry for key in params if key in by_key for entry in by_key[key]]
        if not (candidates or self._keyless_signatures):
            return None  # most first-party requests: no parameter any signature requires
        path = _normalise_path(path)
        # Catalog order decides between two matching vendors, as it would in a plain scan.
        for _, signature, vendor in sorted(candidates + self._keyless_signatures, key=lambda entry: entry[0]):
            if signature.matches(path, params):
                return vendor
        return None

    def generic_role(self, key: str) -> str:
        """The role of `key` for a third party the catalog does not know."""
        return self._generic.lookup(key)

    def role_of(self, key: str, vendor: Vendor | None) -> str:
        """The vendor's role for `key` if it has one, else the generic role."""
        return (vendor.role_of(key) if vendor is not None else "") or self._generic.lookup(key)


def _index_signatures(vendors: tuple[Vendor, ...]):
    """Signatures by their first required key (a request lacking it cannot match), in catalog order.

    Every request the host table does not know (all first-party traffic) is checked against the
    signatures; the index keeps that to the few whose key the request actually carries.
    """
    by_key: dict[str, list[tuple[int, object, Vendor]]] = {}
    keyless: list[tuple[int, object, Vendor]] = []
    order = 0
    for vendor in vendors:
        for signature in vendor.signatures:
            entry = (order, signature, vendor)
            order += 1
            if signature.keys:
                by_key.setdefault(signature.keys[0], []).append(entry)
            else:
                keyless.append(entry)
    return by_key, keyless


# -- loading -------------------------------------------------------------------------------


def patterns_dir() -> Path:
    """Where the shipped patterns live: package data when installed, else the repo's `patterns/`."""
    try:
        packaged = importlib.resources.files("pixelguard_addon") / "patterns"
        if packaged.is_dir():
            return Path(str(packaged))
    except (ModuleNotFoundError, TypeError, OSError):
        pass
    return Path(__file__).resolve().parent.parent / "patterns"


def load_catalog(trackers_path: str | Path | None = None, roles_path: str | Path | None = None) -> Catalog:
    """Load and validate `trackers.toml` and `field_roles.toml` (defaults: `patterns_dir()`)."""
    base = patterns_dir()
    trackers = _Source.read(Path(trackers_path) if trackers_path is not None else base / "trackers.toml")
    roles = _Source.read(Path(roles_path) if roles_path is not None else base / "field_roles.toml")
    vendors = _parse_trackers(trackers)
    generic = _parse_roles(roles)
    return Catalog(vendors, generic)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _render_key(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            bare = part and all(c.isalnum() or c in "_-" for c in part)
            text = part if bare else '"' + part.replace('"', '\\"') + '"'
            out += ("." if out else "") + text
    return out


class _Source:
    """One parsed patterns file, able to turn a key path into a located error."""

    def __init__(self, path: Path, text: str, data: dict[str, Any]) -> None:
        self.path = path
        self.name = _display(path)
        self.text = text
        self.data = data

    @classmethod
    def read(cls, path: Path) -> "_Source":
        name = _display(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise PatternsError(f"{name}: file not found", file=name) from None
        except UnicodeDecodeError as exc:
            raise PatternsError(f"{name}: not UTF-8 text ({exc.reason})", file=name) from None
        except OSError as exc:
            raise PatternsError(f"{name}: cannot read: {exc.strerror or exc}", file=name) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            line: int | None = None
            where = _TOML_POS_RE.search(message)
            if where:
                line = int(where.group(1))
                message = f"{message[:where.start()]} (column {where.group(2)})"
            elif _TOML_END_RE.search(message):
                line = text.count("\n") + 1
                message = _TOML_END_RE.sub(" (at end of file)", message)
            prefix = f"{name}:{line}" if line else name
            raise PatternsError(f"{prefix}: invalid TOML: {message}", file=name, line=line) from None
        return cls(path, text, data)

    def error(self, path: list[str | int], message: str) -> PatternsError:
        line = line_of(self.text, path, nearest=True) or 1
        key = _render_key(path)
        return PatternsError(f"{self.name}:{line}: {key}: {message}", file=self.name, line=line, key=key)

    def check_schema(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.error([key], f"unknown key (expected one of: {', '.join(sorted(allowed))})")
        if "schema_version" not in self.data:
            raise self.error(["schema_version"], f"missing (add `schema_version = {SCHEMA_VERSION}`)")
        version = self.data["schema_version"]
        if type(version) is not int:
            raise self.error(["schema_version"], f"expected an integer, got {_type_name(version)}")
        if version != SCHEMA_VERSION:
            raise self.error(["schema_version"], f"unsupported version {version} (this pixelguard reads {SCHEMA_VERSION})")


def _type_name(value: Any) -> str:
    return {
        bool: "a boolean", int: "an integer", float: "a number", str: "a string",
        list: "a list", dict: "a table",
    }.get(type(value), type(value).__name__)


def _string_list(src: _Source, path: list[str | int], value: Any, *, allow_empty: bool = True) -> list[str]:
    if not isinstance(value, list):
        raise src.error(path, f"expected a list of strings, got {_type_name(value)}")
    if not all(isinstance(item, str) for item in value):
        raise src.error(path, "expected a list of strings")
    if not allow_empty and not value:
        raise src.error(path, "must not be empty")
    for index, item in enumerate(value):
        if item != item.strip() or not item:
            raise src.error(path + [index], f"empty or padded string {item!r}")
        if value.index(item) != index:
            raise src.error(path + [index], f"{item!r} listed twice")
    return value


def _role_table(src: _Source, path: list[str | int], value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise src.error(path, f"expected a table of key = role, got {_type_name(value)}")
    for key, role in value.items():
        if not key.strip():
            raise src.error(path + [key], "empty key")
        if not isinstance(role, str):
            raise src.error(path + [key], f"expected a role name, got {_type_name(role)}")
        if role not in ROLES:
            raise src.error(path + [key], f"unknown role {role!r} (expected one of: {', '.join(ROLES)})")
    return dict(value)


def _parse_trackers(src: _Source) -> list[Vendor]:
    src.check_schema({"schema_version", "vendor"})
    tables = src.data.get("vendor", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise src.error(["vendor"], "expected [[vendor]] tables")
    vendors: list[Vendor] = []
    seen_ids: dict[str, int] = {}
    host_owner: dict[str, str] = {}
    for index, table in enumerate(tables):
        vendor = _parse_vendor(src, index, table)
        if vendor.id in seen_ids:
            first = seen_ids[vendor.id]
            raise src.error(["vendor", index, "id"], f"duplicate vendor id {vendor.id!r} (first used by vendor[{first}])")
        seen_ids[vendor.id] = index
        for host_index, host in enumerate(vendor.hosts):
            if host in host_owner:
                raise src.error(["vendor", index, "hosts", host_index],
                                f"host {host!r} already belongs to {host_owner[host]!r}")
            host_owner[host] = vendor.id
        vendors.append(vendor)
    return vendors


def _parse_vendor(src: _Source, index: int, table: dict[str, Any]) -> Vendor:
    here: list[str | int] = ["vendor", index]
    for key in table:
        if key not in _VENDOR_KEYS:
            raise src.error(here + [key], f"unknown key (expected one of: {', '.join(sorted(_VENDOR_KEYS))})")
    for key in _VENDOR_REQUIRED:
        if key not in table:
            raise src.error(here + [key], "missing")
    for key in ("id", "name", "kind"):
        if not isinstance(table[key], str) or not table[key].strip():
            raise src.error(here + [key], f"expected a non-empty string, got {_type_name(table[key])}")
    if not _ID_RE.match(table["id"]):
        raise src.error(here + ["id"], f"{table['id']!r} is not a snake_case id")
    if table["kind"] not in KINDS:
        raise src.error(here + ["kind"], f"unknown kind {table['kind']!r} (expected one of: {', '.join(KINDS)})")

    hosts = _string_list(src, here + ["hosts"], table["hosts"], allow_empty=False)
    for host_index, host in enumerate(hosts):
        if host.startswith("*.") and host.count(".") < 2:
            raise src.error(here + ["hosts", host_index],
                            f"wildcard {host!r} is too broad (needs at least two labels)")
        if not _HOST_RE.match(host):
            raise src.error(here + ["hosts", host_index],
                            f"{host!r} is not a lowercase hostname or `*.suffix` wildcard")

    paths: dict[str, list[str]] = {}
    for key in ("endpoints", "scripts"):
        paths[key] = _string_list(src, here + [key], table.get(key, []))
        for path_index, entry in enumerate(paths[key]):
            problem = _check_path_entry(entry, hosts)
            if problem:
                raise src.error(here + [key, path_index], problem)

    decoders = _string_list(src, here + ["decoders"], table.get("decoders", []))
    for decoder_index, name in enumerate(decoders):
        if not _ID_RE.match(name):
            raise src.error(here + ["decoders", decoder_index], f"{name!r} is not a snake_case decoder name")
        if name not in DECODERS:
            raise src.error(here + ["decoders", decoder_index],
                            f"unknown decoder {name!r} (known: {', '.join(sorted(DECODERS))})")
    signatures = parse_signatures(table.get("signature", []),
                                  lambda path, message: src.error(here + ["signature", *path], message))

    fields = _role_table(src, here + ["fields"], table.get("fields", {}))
    return Vendor(
        id=table["id"],
        name=table["name"].strip(),
        kind=table["kind"],
        hosts=tuple(hosts),
        endpoints=tuple(paths["endpoints"]),
        decoders=tuple(decoders),
        fields=fields,
        scripts=tuple(paths["scripts"]),
        signatures=signatures,
    )


def _check_path_entry(entry: str, hosts: list[str]) -> str:
    host, path = _split_endpoint(entry)
    if host:
        if not path:
            return f"{entry!r}: a host-specific entry needs a path (`{host}/…`)"
        if not any(_host_matches(pattern, host) or pattern == host for pattern in hosts):
            return f"{entry!r}: host {host!r} is not among this vendor's hosts"
    if not _PATH_CHARS_RE.match(path):
        return f"{entry!r}: expected a path starting with `/` (no query, fragment or spaces)"
    if "$" in path[:-1]:
        return f"{entry!r}: `$` may only end a pattern"
    return ""


def _parse_roles(src: _Source) -> dict[str, str]:
    src.check_schema({"schema_version", "fields"})
    fields = _role_table(src, ["fields"], src.data.get("fields", {}))
    folded: dict[str, tuple[str, str]] = {}
    for key, role in fields.items():
        other = folded.get(key.lower())
        if other and other[1] != role:
            raise src.error(["fields", key],
                            f"conflicts with {other[0]!r} = {other[1]!r} (generic keys ignore case)")
        folded[key.lower()] = (key, role)
    return fields
