"""scripts/build_lexicon.py: the rules that turn ICD-10-CM and drug names into lexicon terms,
and the committed generated layer being what those rules give."""
from __future__ import annotations

import json

import pytest

from .helpers import ROOT, load_script

SAMPLE = ROOT / "tests" / "data" / "lexicon" / "source_sample.json"
GENERATED = ROOT / "patterns" / "lexicons" / "generated"


build_lexicon = load_script("build_lexicon")


@pytest.fixture(scope="module")
def config():
    import tomllib

    return tomllib.loads(build_lexicon.CONFIG.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample():
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def committed(name: str) -> dict[str, dict]:
    data = json.loads((GENERATED / name).read_text(encoding="utf-8"))
    return {(term["source_id"], term["text"]): term for term in data["term"]}


def frequency_from(table: dict[str, float]):
    return lambda text: table.get(text, table.get(text.lower(), 0.0))


@pytest.mark.parametrize("title,forms", [
    ("Acute nasopharyngitis [common cold]", ["Acute nasopharyngitis", "common cold"]),
    ("Malignant neoplasm of stomach", ["stomach cancer"]),
    ("Malignant neoplasm of breast of unspecified site", ["breast cancer"]),
    ("Other specified anxiety disorders", ["anxiety disorders"]),
    ("Depression, unspecified", ["Depression"]),
    ("Alcohol dependence with withdrawal delirium", ["Alcohol dependence"]),
    ("Juvenile osteochondrosis of talus [Diaz]", ["Juvenile osteochondrosis of talus"]),  # eponym, not a name
    ("Anxiety disorder NOS", ["Anxiety disorder"]),
    ("Type 2 diabetes mellitus", []),  # a digit: the curated layer spells these
    ("Other disorders", []),  # nothing but generic words
    ("Postprocedural hemorrhage of a digestive system organ following a procedure", []),  # too long
    ("TRAPS", []),  # an acronym alone is another word
])
def test_icd_titles_become_consumer_names(config, title, forms):
    assert build_lexicon.IcdRules(config).forms(title) == forms


@pytest.mark.parametrize("code,spec,matches", [
    ("F10.20", "F10-F19", True), ("F20.9", "F10-F19", False), ("Z87890", "Z87.890", True),
    ("Z8789", "Z87.890", False), ("B20", "B20", True), ("O9A.1", "O00-O9A", True), ("P00", "O00-O9A", False),
])
def test_code_specs(code, spec, matches):
    assert build_lexicon.code_matches(code, spec) is matches


@pytest.mark.parametrize("code,tags", [
    ("F411", {"mental-health"}), ("F1020", {"substance-use"}), ("F640", {"gender-affirming"}),
    ("C509", {"oncology"}), ("D050", {"oncology"}), ("D500", set()), ("B20", {"hiv-sti"}),
    ("A540", {"hiv-sti"}), ("O000", {"reproductive"}), ("Z331", {"reproductive"}),
    ("Q90", {"genetic"}), ("Z87890", {"gender-affirming"}), ("J00", set()),
])
def test_icd_sensitive_tags_by_chapter_and_block(config, code, tags):
    assert build_lexicon.IcdRules(config).tags(code) == tags


@pytest.mark.parametrize("code,category", [("R51", "symptom"), ("Z331", "status"), ("J00", "condition")])
def test_icd_categories(config, code, category):
    assert build_lexicon.IcdRules(config).category(code) == category


FREQUENCIES = {"stone": 4.8, "boil": 3.8, "presbycusis": 0.5, "foot": 5.2, "drop": 5.0,
               "gambling": 3.9, "disorder": 4.3, "brain": 5.0, "cancer": 4.9, "acne": 3.7}


@pytest.mark.parametrize("spelling,verdict", [
    ("stone", None),  # too common: left out
    ("boil", "ambiguous"),  # common enough to need health context
    ("presbycusis", "term"),
    ("acne", "term"),  # common, but only ever medical: the keep list
    ("foot drop", "ambiguous"),  # a phrase of everyday words
    ("gambling disorder", "term"),  # a health word makes it a health phrase
    ("brain cancer", "term"),  # contains an unambiguous curated term: must not hide it
    ("bipolar disorders", None),  # the curated layer has it (plural): never generated again
])
def test_vetting(config, spelling, verdict):
    curated = build_lexicon.curated_layer()
    vetting = build_lexicon.Vetting(config, frequency_from(FREQUENCIES), set(curated.spellings), set(curated.certain))
    assert vetting.verdict(spelling) == verdict


def test_left_out_words_are_recorded_not_dropped_silently(config):
    vetting = build_lexicon.Vetting(config, frequency_from(FREQUENCIES), set(), set())
    vetting.verdict("stone")
    assert any("stone" in words for words in vetting.left_out.values())


@pytest.mark.parametrize("name,usable", [
    ("xanax", True), ("estradiol patch", True), ("gas-x", False), ("clear by design", False),
    ("capsules and granules", False), ("sunkist", False), ("cipro", True), ("hd 85", False),
    ("oral defense", False),
])
def test_drug_names(config, name, usable):
    rules = build_lexicon.DrugRules(config, frequency_from({"oral": 4.5, "defense": 4.8, "estradiol": 2.7,
                                                            "patch": 4.1}), {})
    assert rules.usable(name) is usable


def test_drug_tags_come_from_ingredients(config):
    rules = build_lexicon.DrugRules(config, frequency_from({}), {})
    drug = build_lexicon.Drug("emtricitabine and tenofovir", "Emtricitabine and Tenofovir", "a604004", ["truvada"])
    assert rules.tags(drug) == {"hiv-sti"}


def test_sample_records_give_the_committed_terms(config, sample):
    """The build's rules on real source records reproduce the committed generated terms for them
    (a deterministic subset: runs without the source packages)."""
    curated = build_lexicon.curated_layer()
    frequency = frequency_from(sample["zipf"])
    vetting = build_lexicon.Vetting(config, frequency, set(curated.spellings), set(curated.certain))
    icd = build_lexicon.icd_entries([tuple(r) for r in sample["icd10cm"]], config, vetting)
    drugs = [build_lexicon.Drug(**d) for d in sample["drugs"]]
    meds = build_lexicon.drug_entries(drugs, config, vetting, frequency, curated.tags)
    for entries, name in ((icd, "icd10cm.json"), (meds, "drugs.json")):
        shipped = committed(name)
        wanted = {key for key in shipped if key[0] in {e.source_id for e in entries}}
        assert len(wanted) >= 3, name
        built = {(e.source_id, e.text): e for e in entries}
        for key in wanted:
            assert key in built, key
            entry, term = built[key], shipped[key]
            assert (entry.category, entry.ambiguous) == (term["category"], term.get("ambiguous", False)), key
            assert entry.tags <= set(term.get("tags", [])), key


def test_committed_files_are_what_the_sources_give():
    """The whole build, byte for byte. The sources come with the test extra; in CI they must be there."""
    import importlib.util
    import os

    missing = [p for p in ("simple_icd_10_cm", "drug_named_entity_recognition", "wordfreq")
               if importlib.util.find_spec(p) is None]
    if missing and os.environ.get("CI") != "true":
        pytest.skip(f"lexicon sources not installed ({', '.join(missing)}): pip install -e '.[test]'")
    assert not missing, f"lexicon sources missing in CI: {missing}"
    assert build_lexicon.main(["--check"]) == 0


def test_generated_files_name_source_and_licence():
    for path in sorted(GENERATED.glob("*.json")):
        source = json.loads(path.read_text(encoding="utf-8"))["source"]
        assert source["licence"] and source["url"] and "GENERATED by scripts/build_lexicon.py" in source["notes"]
