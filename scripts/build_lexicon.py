#!/usr/bin/env python3
"""Build the generated lexicon layer (patterns/lexicons/generated/) from public vocabularies.

    python scripts/build_lexicon.py           # rewrite the generated files
    python scripts/build_lexicon.py --check   # exit 1 when the committed files are not what
                                              # the sources and the curated layer give

Sources (installed with `pip install -e .[lexicon]`, versions pinned in pyproject.toml):
* ICD-10-CM (CDC/NCHS tabular list, shipped by the `simple-icd-10-cm` package): condition and
  symptom names, cleaned into the words people use (see `icd_forms`).
* Drug names (the `drug-named-entity-recognition` package: DrugBank open vocabulary, MeSH,
  MedlinePlus): generic and brand names of the drugs MedlinePlus has a page for.
* Word frequencies (`wordfreq`), only to leave out or mark ambiguous the words that everyday
  English uses ("stone", "shock").
How: patterns/lexicon_build.toml (data). The curated layer (patterns/lexicons/*.toml) always
wins: a spelling it has is never generated again, so its tags, ambiguity and stoplist hold.
The output depends only on those inputs; the same inputs give the same bytes.
"""
from __future__ import annotations

import argparse
import bz2
import hashlib
import importlib.metadata
import json
import importlib.resources
import pickle
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "patterns" / "lexicon_build.toml"
LEXICONS = ROOT / "patterns" / "lexicons"
GENERATED = LEXICONS / "generated"
sys.path.insert(0, str(ROOT))

from pixelguard_addon.detectors.lexicon import normalise, spelling_forms  # noqa: E402  (after the path fix)

Frequency = Callable[[str], float]


@dataclass
class Entry:
    """One generated term: reported as `text`, matched also as each alias."""

    text: str
    category: str
    source_id: str
    tags: set[str] = field(default_factory=set)
    aliases: list[str] = field(default_factory=list)
    ambiguous: bool = False


@dataclass
class Built:
    entries: list[Entry]
    left_out: dict[str, list[str]]  # reason → spellings


# --- shared rules --------------------------------------------------------------------------

class Vetting:
    """Decides, for each spelling, whether it goes in, goes in as ambiguous, or is left out."""

    def __init__(self, config: dict, frequency: Frequency, taken: set[str], certain: set[str]):
        common = config["common_words"]
        self.drop_at, self.ambiguous_at = common["drop_at"], common["ambiguous_at"]
        self.phrase_ambiguous_at = common["phrase_ambiguous_at"]
        self.small = {w.lower() for w in config["icd10cm"]["small_words"]}
        self.health = {w.lower() for w in config["icd10cm"]["health_words"]}
        self.certain = certain  # normalised spellings of unambiguous terms (curated, then generated)
        self.keep = {normalise(word) for word in common["keep"]}
        self.frequency = frequency
        self.taken = taken  # normalised spellings already in the lexicon (curated first)
        self.left_out: dict[str, list[str]] = {}

    def leave_out(self, reason: str, spelling: str) -> None:
        self.left_out.setdefault(reason, []).append(spelling)

    def verdict(self, spelling: str) -> str | None:
        """"term", "ambiguous", or None (left out, with the reason recorded)."""
        normal = normalise(spelling)
        if not normal or normal in self.taken:
            return None
        if normal in self.keep:
            return "term"
        if " " in spelling.strip():  # a hyphenated name is one word, a phrase is several
            return self._phrase(normal.split())
        zipf = self.frequency(normal)
        if zipf >= self.drop_at:
            self.leave_out(f"common English word (wordfreq Zipf >= {self.drop_at})", normal)
            return None
        return "ambiguous" if zipf >= self.ambiguous_at else "term"

    def _phrase(self, words: list[str]) -> str:
        content = [w for w in words if w not in self.small]
        if not content or min(self.frequency(w) for w in content) < self.phrase_ambiguous_at:
            return "term"
        if self.health.intersection(words):
            return "term"
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                if " ".join(words[start:start + size]) in self.certain:
                    return "term"
        return "ambiguous"

    def claim(self, spelling: str, verdict: str) -> None:
        self.taken.add(normalise(spelling))
        if verdict == "term":
            self.certain.add(normalise(spelling))


@dataclass
class Curated:
    spellings: set[str]  # normalised: terms, aliases, stop phrases
    certain: set[str]  # normalised spellings of unambiguous terms
    tags: dict[str, set[str]]  # normalised term spelling → its tags


def curated_layer(directory: Path = LEXICONS) -> Curated:
    curated = Curated(set(), set(), {})
    for path in sorted(directory.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for term in data.get("term", []):
            for spelling in [term["text"], *term.get("aliases", [])]:
                curated.spellings.update(spelling_forms(spelling))
                curated.tags.setdefault(normalise(spelling), set()).update(term.get("tags", []))
                if not term.get("ambiguous") and not term.get("match_case"):
                    curated.certain.add(normalise(spelling))
        for stop in data.get("stop", []):
            curated.spellings.add(normalise(stop["text"]))
    return curated


# --- ICD-10-CM -------------------------------------------------------------------------------

def code_matches(code: str, spec: str) -> bool:
    """`spec` is a 3-character range ("F10-F19") or a prefix ("Z87.890", "B20")."""
    return CodeSpecs([spec]).match(code.replace(".", ""))


def any_match(code: str, specs: Iterable[str]) -> bool:
    return CodeSpecs(specs).match(code.replace(".", ""))


class CodeSpecs:
    """Code specs parsed once: the build asks about 40,000 codes."""

    def __init__(self, specs: Iterable[str]):
        self.ranges: list[tuple[str, str]] = []
        self.prefixes: list[str] = []
        for spec in specs:
            spec = spec.replace(".", "")
            if "-" in spec:
                low, high = spec.split("-")
                self.ranges.append((low, high))
            else:
                self.prefixes.append(spec)
        self.prefix_tuple = tuple(self.prefixes)

    def match(self, code: str) -> bool:
        head = code[:3]
        return any(low <= head <= high for low, high in self.ranges) or code.startswith(self.prefix_tuple)


class IcdRules:
    def __init__(self, config: dict, leave_out: Callable[[str, str], None] = lambda reason, text: None):
        icd = config["icd10cm"]
        self.leave_out = leave_out
        self.config = icd
        self.leads = sorted((q.lower() for q in icd["lead_qualifiers"]), key=len, reverse=True)
        self.cut = re.compile("|".join(re.escape(c) for c in icd["cut_before"]), re.IGNORECASE)
        self.generic = {w.lower() for w in [*icd["health_words"], *icd["filler_words"], *icd["small_words"]]}
        self.small = {w.lower() for w in icd["small_words"]}
        self.site_words = icd["cancer_sites_max_words"]
        self.include, self.status, self.symptom = (CodeSpecs(icd[key]) for key in ("include", "status", "symptom"))
        self.tag_rules = [(rule["tag"], CodeSpecs(rule["codes"]), CodeSpecs(rule.get("except", [])))
                          for rule in icd["tag"]]

    def included(self, code: str) -> bool:
        return self.include.match(code)

    def category(self, code: str) -> str:
        if self.status.match(code):
            return "status"
        return "symptom" if self.symptom.match(code) else "condition"

    def tags(self, code: str) -> set[str]:
        return {tag for tag, codes, excepted in self.tag_rules if codes.match(code) and not excepted.match(code)}

    def forms(self, title: str) -> list[str]:
        """The consumer-usable names in one ICD title or inclusion term (maybe none).

        "Acute nasopharyngitis [common cold]" → ["Acute nasopharyngitis", "common cold"];
        "Malignant neoplasm of stomach" → ["stomach cancer"];
        "Other specified anxiety disorders, in remission" → ["anxiety disorders"].
        """
        pieces = [title]
        bracket = re.fullmatch(r"(.*?)\s*\[([^\]]+)\]\s*", title)
        if bracket:  # a trailing [synonym] of two or more words: both halves are names
            pieces = [bracket.group(1)]
            if len(bracket.group(2).split()) >= self.config["bracket_min_words"]:
                pieces.append(bracket.group(2))
        forms = []
        for piece in pieces:
            form = self._clean(piece)
            if form and form not in forms:
                forms.append(form)
        return forms

    def _clean(self, text: str) -> str:
        text = re.sub(r"\s*\[[^\]]*\]", "", text)  # an inner [abbreviation]
        text = re.sub(r"\s\([^)]*\)", "", text)  # a parenthesised qualifier
        text = self.cut.split(text, 1)[0].strip()
        changed = True
        while changed:
            changed = False
            for lead in self.leads:
                if text.lower().startswith(lead + " "):
                    text, changed = text[len(lead) + 1:].strip(), True
        cancer = re.fullmatch(r"malignant neoplasms? of (?:the )?([a-z]+(?: [a-z]+)*)", text, re.IGNORECASE)
        site = cancer.group(1).lower().split() if cancer else []
        if site and len(site) <= self.site_words and not self.small.intersection(site):
            text = f"{cancer.group(1)} cancer"
        return text if self._usable(text) else ""

    def _usable(self, text: str) -> bool:
        words = text.lower().split()
        if not words or len(words) > self.config["max_words"] or len(text) < self.config["min_chars"]:
            return False
        if re.search(r"[^A-Za-z' -]", text) or words[-1] in self.small or words[0] in self.small:
            return False
        if self.config["drop_acronyms"] and len(words) == 1 and text.isupper():
            self.leave_out("acronym without its expansion", text)
            return False
        return any(word not in self.generic for word in words)


def icd_entries(records: Iterable[tuple[str, str, list[str]]], config: dict, vetting: Vetting) -> list[Entry]:
    """records: (code, title, inclusion terms) in code order."""
    rules = IcdRules(config, vetting.leave_out)
    by_spelling: dict[str, Entry] = {}
    entries: list[Entry] = []
    for code, title, inclusions in records:
        if not rules.included(code):
            continue
        tags, category = rules.tags(code), rules.category(code)
        entry: Entry | None = None
        for text in [form for item in [title, *inclusions] for form in rules.forms(item)]:
            known = by_spelling.get(normalise(text))
            if known is not None:  # the same name under several codes: one term, all their tags
                known.tags |= tags
                entry = entry or known
                continue
            verdict = vetting.verdict(text)
            if verdict is None:
                continue
            vetting.claim(text, verdict)
            if entry is None or entry.category != category or (verdict == "ambiguous") != entry.ambiguous:
                entry = Entry(text, category, f"ICD-10-CM {dotted(code)}", set(tags), ambiguous=verdict == "ambiguous")
                entries.append(entry)
            else:
                entry.aliases.append(text)
            by_spelling[normalise(text)] = entry
    return entries


def dotted(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def load_icd_records() -> list[tuple[str, str, list[str]]]:
    import simple_icd_10_cm as cm

    records = []
    include = CodeSpecs(tomllib.loads(CONFIG.read_text(encoding="utf-8"))["icd10cm"]["include"])
    for code in cm.get_all_codes(False):
        if include.match(code) and (cm.is_category(code) or cm.is_subcategory(code)):
            records.append((code, cm.get_description(code), list(cm.get_inclusion_term(code))))
    return records


# --- drugs -----------------------------------------------------------------------------------

@dataclass
class Drug:
    canonical: str  # the dictionary's canonical (generic) name
    name: str  # display name
    medline_id: str
    variants: list[str]  # every spelling the dictionary has, sorted


def load_drugs(require: str) -> list[Drug]:
    """The package's own dictionary, read the way the package reads it (its documented format)."""
    # Located, not imported: importing the package spends seconds indexing n-grams we do not use.
    spec = importlib.util.find_spec("drug_named_entity_recognition")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("drug_named_entity_recognition", name="drug_named_entity_recognition")
    path = Path(list(spec.submodule_search_locations)[0]) / "drug_ner_dictionary.pkl.bz2"
    with bz2.open(path) as handle:
        data = pickle.load(handle)  # noqa: S301 - the package's own data file, as the package loads it
    variants: dict[str, list[str]] = {}
    for variant, canonicals in data["drug_variant_to_canonical"].items():
        for canonical in canonicals:
            variants.setdefault(canonical, []).append(variant)
    drugs = []
    for canonical, info in sorted(data["drug_canonical_to_data"].items()):
        if info.get(require):
            drugs.append(Drug(canonical, info.get("name", canonical), str(info[require]),
                              sorted(set(variants.get(canonical, [])) | {canonical})))
    return drugs


class DrugRules:
    def __init__(self, config: dict, frequency: Frequency, curated_tags: dict[str, set[str]]):
        drugs = config["drugs"]
        self.config = drugs
        self.small = {w.lower() for w in config["icd10cm"]["small_words"]}
        self.exclude = {w.lower() for w in drugs["exclude"]}
        self.frequency = frequency
        self.tagged: dict[str, set[str]] = {}
        for tag, names in drugs["tags"].items():
            for name in names:
                self.tagged.setdefault(normalise(name), set()).add(tag)
        for spelling, tags in curated_tags.items():
            if tags:
                self.tagged.setdefault(spelling, set()).update(tags)

    def usable(self, name: str) -> bool:
        words = name.split()
        if not re.fullmatch(r"[a-z][a-z' -]*[a-z]", name) or len(name) < self.config["min_chars"]:
            return False
        if name in self.exclude:
            return False
        if len(words) > self.config["max_words"] or any(w in self.small for w in words):
            return False
        if any(len(part) < self.config["min_word_chars"] for part in re.split(r"[ -]", name)):
            return False
        parts = re.split(r"[ -]", name)
        if len(parts) > 1 and min(self.frequency(w) for w in parts) >= self.config["phrase_needs_word_below"]:
            return False
        return True

    def tags(self, drug: Drug) -> set[str]:
        tags: set[str] = set()
        names = [drug.canonical, *drug.variants]
        ingredients = re.split(r",\s*(?:and\s+)?|\s+and\s+", drug.canonical)
        for name in [*names, *ingredients]:
            tags |= self.tagged.get(normalise(name), set())
        return tags


def drug_entries(drugs: Iterable[Drug], config: dict, vetting: Vetting, frequency: Frequency,
                 curated_tags: dict[str, set[str]]) -> list[Entry]:
    rules = DrugRules(config, frequency, curated_tags)
    entries = []
    for drug in drugs:
        tags = rules.tags(drug)
        kept: dict[bool, Entry] = {}  # plain and ambiguous spellings go to separate terms
        for spelling in [drug.canonical, *[v for v in drug.variants if v != drug.canonical]]:
            if not rules.usable(spelling):
                continue
            verdict = vetting.verdict(spelling)
            if verdict is None:
                continue
            vetting.claim(spelling, verdict)
            ambiguous = verdict == "ambiguous"
            if ambiguous in kept:
                kept[ambiguous].aliases.append(spelling)
            else:
                kept[ambiguous] = Entry(drug.canonical, "medication", f"MedlinePlus {drug.medline_id}",
                                        set(tags), [] if spelling == drug.canonical else [spelling], ambiguous)
        entries.extend(kept[a] for a in (False, True) if a in kept)
    return entries


# --- output ----------------------------------------------------------------------------------

def render(entries: list[Entry], left_out: dict[str, list[str]], source: dict[str, str]) -> str:
    """The generated file: JSON (it loads 30x faster than TOML), one term per line for diffs."""
    def dumps(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{", f'"schema_version": 1,', f'"source": {dumps(source)},', '"term": [']
    terms = []
    for entry in entries:
        term: dict[str, object] = {"text": entry.text, "category": entry.category}
        if entry.tags:
            term["tags"] = sorted(entry.tags)
        if entry.aliases:
            term["aliases"] = entry.aliases
        if entry.ambiguous:
            term["ambiguous"] = True
        term["source_id"] = entry.source_id
        terms.append(dumps(term))
    lines.append(",\n".join(terms))
    lines.append("],")
    lines.append('"left_out": {')
    lines.append(",\n".join(f"{dumps(reason)}: {dumps(sorted(set(spellings)))}"
                            for reason, spellings in sorted(left_out.items())))
    lines.append("}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def version(package: str) -> str:
    return importlib.metadata.version(package)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def build(frequency: Frequency | None = None, icd_records=None, drugs=None) -> dict[str, str]:
    """File name → content of every generated file."""
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    if frequency is None:
        from wordfreq import zipf_frequency

        frequency = lambda text: zipf_frequency(text, "en")  # noqa: E731
    curated = curated_layer()
    inputs = (f"patterns/lexicon_build.toml sha256:{digest(CONFIG)}; curated layer sha256:{curated_digest()}; "
              f"wordfreq {version('wordfreq')}")
    vetting = Vetting(config, frequency, set(curated.spellings), set(curated.certain))
    icd = icd_entries(icd_records if icd_records is not None else load_icd_records(), config, vetting)
    icd_left, vetting.left_out = vetting.left_out, {}
    drug_list = drugs if drugs is not None else load_drugs(config["drugs"]["require"])
    meds = drug_entries(drug_list, config, vetting, frequency, curated.tags)
    icd_version, drug_version = version(config["icd10cm"]["source"]), version(config["drugs"]["source"])
    generated = "GENERATED by scripts/build_lexicon.py from " + inputs + " — do not edit; change the inputs and rerun."
    return {
        "icd10cm.json": render(icd, icd_left, {
            "name": f"ICD-10-CM condition and symptom names ({len(icd)} terms)",
            "licence": "ICD-10-CM is a U.S. government publication (CDC/NCHS), free to use; it is read from "
                       f"the PyPI package simple-icd-10-cm {icd_version} (MIT licence), which ships the "
                       "CDC tabular list",
            "url": "https://www.cdc.gov/nchs/icd/icd-10-cm/",
            "notes": "Category and subcategory titles and inclusion terms, cleaned into the names people use "
                     "(qualifiers dropped, 'Malignant neoplasm of X' → 'X cancer'), tagged by ICD chapter and "
                     f"block (patterns/lexicon_build.toml). {generated}",
        }),
        "drugs.json": render(meds, vetting.left_out, {
            "name": f"Drug names, generic and brand ({len(meds)} terms)",
            "licence": f"from the PyPI package drug-named-entity-recognition {drug_version} (MIT licence), whose "
                       "dictionary draws on DrugBank open data (CC0), MeSH and MedlinePlus (U.S. National Library "
                       "of Medicine) and drug synonyms from the NHS website and Wikipedia (CC BY-SA); only names "
                       "(facts) are used, no descriptive text",
            "url": "https://github.com/fastdatascience/drug_named_entity_recognition",
            "notes": "Drugs that MedlinePlus has a consumer drug page for; term = generic name, aliases = brand "
                     f"names and other spellings. {generated}",
        }),
    }


def curated_digest() -> str:
    combined = hashlib.sha256()
    for path in sorted(LEXICONS.glob("*.toml")):
        combined.update(path.name.encode() + b"\0" + path.read_bytes())
    return combined.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files; write nothing")
    parser.add_argument("--out", type=Path, default=GENERATED, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        files = build()
    except ImportError as exc:
        print(f"build_lexicon: a source package is missing ({exc.name}): pip install -e '.[lexicon]'", file=sys.stderr)
        return 2
    if args.check:
        stale = [name for name, text in files.items()
                 if not (args.out / name).is_file() or (args.out / name).read_text(encoding="utf-8") != text]
        for name in stale:
            print(f"build_lexicon: {args.out / name} is not what the sources give; run scripts/build_lexicon.py")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"wrote {args.out / name} ({len(json.loads(text)['term'])} terms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
