from __future__ import annotations

import json
from collections import Counter

import pytest

from pixelguard_addon.detectors.lexicon import (
    CATEGORIES,
    ConditionDetector,
    load_lexicon,
    normalise,
)
from pixelguard_addon.detectors.loading import DataError

from .helpers import ctx, field


def terms(lexicon, text, key=""):
    return [hit.term for hit in lexicon.find_terms(text, key)]


@pytest.mark.parametrize("text,expected", [
    # slugs and separators
    ("/conditions/breast-cancer", ["breast cancer"]),
    ("Breast+Cancer", ["breast cancer"]),
    ("breast%20cancer", ["breast cancer"]),
    ("breast_cancer", ["breast cancer"]),
    ("/health/breast.cancer/", ["breast cancer"]),
    ("q=bipolar%2Bdisorder", ["bipolar disorder"]),
    # case and camelCase
    ("BREAST CANCER", ["breast cancer"]),
    ("bipolarDisorder", ["bipolar disorder"]),
    ("BipolarDisorderTreatment", ["bipolar disorder"]),
    ("HIVTesting", ["HIV test"]),
    # plurals
    ("mammograms", ["mammogram"]),
    ("kidney stone", ["kidney stones"]),
    ("STDs", ["STD"]),
    ("migraines and allergies", ["migraine", "Allergy"]),  # allergy is ambiguous: counts next to migraine
    # apostrophes and digits
    ("Crohn's Disease", ["Crohn's disease"]),
    ("crohns", ["Crohn's disease"]),
    ("covid19 testing", ["COVID-19"]),
    # longest match wins
    ("metastatic breast cancer", ["metastatic", "breast cancer"]),
    # medications, brand and generic
    ("Rx: fluoxetine 20mg", ["fluoxetine"]),
    ("Prozac", ["Prozac"]),
    ("refill Lipitor", ["Lipitor"]),
    ("norethindrone", ["norethindrone"]),
    ("Truvada for PrEP", ["Truvada", "PrEP"]),
    # statuses, specialties, procedures
    ("I am pregnant", ["pregnant"]),
    ("Find an OB-GYN", ["OB-GYN"]),
    ("behavioralHealth", ["behavioral health"]),
    ("schedule a colonoscopy", ["colonoscopy"]),
])
def test_finds_terms(lexicon, text, expected):
    assert terms(lexicon, text) == expected


@pytest.mark.parametrize("text", [
    "archive",  # hiv inside a word
    "achieve",
    "cancellation policy",
    "preparation",
    "pregnancy-style",  # not this: see below
])
def test_word_boundaries(lexicon, text):
    found = terms(lexicon, text)
    if text == "pregnancy-style":
        assert found == ["pregnancy"]
    else:
        assert found == []


@pytest.mark.parametrize("text", [
    "x9HIV3k",  # an id glued to digits
    "eyJhbGciOiJIUzI1NiJ9HIVab12cdEF34",  # token-shaped value
    "aGl2IHRlc3Q9HIV0x",
])
def test_opaque_values_have_no_terms(lexicon, text):
    assert terms(lexicon, text) == []


def test_long_camel_case_is_not_opaque(lexicon):
    assert terms(lexicon, "BipolarDisorderTreatmentOptions2024Page") == ["bipolar disorder"]


def test_opaque_is_judged_alike_in_ascii_and_other_text():
    # ASCII text is judged from a bytes translation, other text character by character: the
    # same rule (digits, and kind switches at 30% of characters or more).
    import random
    import string

    from pixelguard_addon.detectors.lexicon import _looks_opaque

    def by_character(text):
        kinds = [0 if c.isdigit() else 1 if c.isupper() else 2 if c.islower() else 3 for c in text]
        return kinds.count(0) >= 2 and sum(a != b for a, b in zip(kinds, kinds[1:])) >= 0.3 * len(text)

    rng = random.Random(5)
    alphabet = string.ascii_letters + string.digits + "+/_=.- "
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    assert [_looks_opaque(text) for text in samples] == [by_character(text) for text in samples]
    assert sum(map(_looks_opaque, samples)) > 500
    assert _looks_opaque("aB3dE5fG7hI9") and not _looks_opaque("aB3dE5fG7hI9" + "é" * 40)


@pytest.mark.parametrize("text,key,found", [
    ("cold", "", False),
    ("cold", "symptom", True),
    ("cold", "cd[reason_for_visit]", True),
    ("cold", "product", False),
    ("I have had a cold for a week, need a doctor", "", True),
    ("it is cold outside today", "", False),
    ("stroke", "", False),
    ("stroke warning signs", "", True),
    ("MS", "", False),
    ("MS", "condition", True),
    ("living with MS and chronic pain", "", True),
    ("Ms Smith", "condition", False),  # MS must be written in capitals
    ("ED", "", False),
    ("ED treatment options", "", True),
    ("meal prep", "", False),
    ("prep", "", False),
    ("prep", "medication", True),
    ("PrEP", "", True),  # written so, it is the drug
    ("hiv prep", "", True),
    ("AIDS", "", True),
    ("Aids", "", False),
])
def test_ambiguous_terms_need_health_context(lexicon, text, key, found):
    hits = lexicon.find_terms(text, key)
    assert bool(hits) is found
    if found and any(h.ambiguous for h in hits):
        assert all(h.context for h in hits if h.ambiguous)


def test_lower_case_prep_is_reported_as_prep_the_drug(lexicon):
    assert terms(lexicon, "hiv prep") == ["HIV", "PrEP"]
    assert [h.ambiguous for h in lexicon.find_terms("hiv prep")] == [False, True]


def test_depression_is_not_ambiguous(lexicon):
    assert terms(lexicon, "depression") == ["depression"]


@pytest.mark.parametrize("text", [
    "Dr Pepper", "heart of the city", "cold brew coffee at the clinic", "Cold-Brew", "MS Office",
    "hearing aids", "HEARING AIDS", "the great depression", "meal prep for patients", "back to top",
])
def test_stoplist_suppresses(lexicon, text):
    assert terms(lexicon, text, "symptom") == []


def test_offsets_point_into_the_original_text(lexicon):
    text = "reason=Breast+Cancer%20screening&x=bipolarDisorder"
    for hit in lexicon.find_terms(text):
        assert text[hit.start:hit.end] == hit.matched
    # overlapping terms both count; a term inside a longer one does not
    assert [h.matched for h in lexicon.find_terms(text)] == ["Breast+Cancer", "Cancer%20screening", "bipolarDisorder"]


def test_tags_and_categories(lexicon):
    [hit] = lexicon.find_terms("hiv")
    assert (hit.category, hit.tags) == ("condition", ("hiv-sti",))
    [hit] = lexicon.find_terms("Suboxone")
    assert (hit.category, hit.tags) == ("medication", ("substance-use",))


def test_words_line_is_the_parsed_texts_line():
    # find_terms asks the cheap line first and parses offsets only when it holds a term; the
    # two must agree, Unicode casing (final sigma, dotted I) and escapes included.
    import random

    from pixelguard_addon.detectors.lexicon import _Text, words_line

    pieces = list("abcXYZ'’ 019-_%+.Σσς") + ["%20", "%27", "%E2%80%99", "İ", "ß", "é", "ﬁ", "HIV", "Crohn's",
                                             "STDs", "\u0301", "%C3%A9", "ΟΔΟΣ", "HIVTesting", "covid19"]
    rng = random.Random(3)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert words_line(text) == _Text(text).normalised, text


def test_ascii_tokens_are_the_unicode_tokens():
    import random

    from pixelguard_addon.detectors.lexicon import _ASCII_TOKEN, _TOKEN

    rng = random.Random(5)
    for _ in range(20000):
        text = "".join(rng.choice("aBcDsS'0 1-_xYz.") for _ in range(rng.randint(0, 14)))
        assert _ASCII_TOKEN.findall(text) == _TOKEN.findall(text), text


def test_normalise():
    assert normalise("bipolarDisorder") == "bipolar disorder"
    assert normalise("/conditions/hiv-prep") == "conditions hiv prep"
    assert normalise("Breast+Cancer%20Screening") == "breast cancer screening"
    assert normalise("Crohn's") == "crohns"


# --- the shipped seed lexicon ---------------------------------------------------------------

def test_seed_lexicon_size_and_coverage(lexicon):
    canonical = {(t.text, t.category) for t in lexicon.terms}
    per_category = Counter(category for _, category in canonical)
    assert len(canonical) >= 300
    assert set(per_category) == set(CATEGORIES)
    assert per_category["medication"] >= 80
    tags = {tag for t in lexicon.terms for tag in t.tags}
    assert tags == {"mental-health", "substance-use", "reproductive", "hiv-sti", "genetic",
                    "gender-affirming", "oncology"}


@pytest.mark.parametrize("word", [
    "fluoxetine", "Prozac", "spironolactone", "norethindrone", "Lipitor", "PrEP", "Truvada", "Suboxone",
    "naloxone", "mammogram", "colonoscopy", "IVF", "abortion", "vasectomy", "oncology", "behavioral health",
    "cardiology", "OB-GYN", "pregnant", "depression", "HIV",
])
def test_seed_lexicon_has_the_reference_terms(lexicon, word):
    assert word in {t.text for t in lexicon.terms}
    assert terms(lexicon, word) == [word]


def test_every_lexicon_file_names_its_source(patterns):
    for path in sorted((patterns / "lexicons").glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        assert "[source]" in text and "licence" in text, path.name


# --- lexicon file format -------------------------------------------------------------------

HEAD = 'schema_version = 1\n[source]\nname = "test"\nlicence = "test"\n'


def write_lexicon(tmp_path, body, name="extra.toml"):
    folder = tmp_path / "lexicons"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(HEAD + body, encoding="utf-8")
    return folder


def test_a_new_term_is_a_data_change(tmp_path):
    folder = write_lexicon(tmp_path, '[[term]]\ntext = "Zorblax syndrome"\ncategory = "condition"\ntags = ["genetic"]\n'
                                     'aliases = ["zorblaxia"]\n')
    lexicon = load_lexicon(folder)
    assert [h.term for h in lexicon.find_terms("zorblaxia-info")] == ["Zorblax syndrome"]
    assert lexicon.find_terms("ZorblaxSyndrome")[0].tags == ("genetic",)


def test_text_without_letters_is_read_only_when_a_term_has_none(tmp_path, lexicon):
    # Ids and timestamps are skipped unread, unless the lexicon holds an all-digit term.
    assert lexicon._letters_needed and lexicon.find_terms("1795435374453") == []
    assert [h.term for h in lexicon.find_terms("%48%49%56")] == ["HIV"]  # letters behind escapes
    folder = write_lexicon(tmp_path, '[[term]]\ntext = "988"\ncategory = "status"\n')
    digits_only = load_lexicon(folder)
    assert not digits_only._letters_needed
    assert [h.term for h in digits_only.find_terms("call 988")] == ["988"]
    assert [h.term for h in digits_only.find_terms("988")] == ["988"]


def test_stop_and_context_are_data(tmp_path):
    folder = write_lexicon(tmp_path, '[[term]]\ntext = "fog"\ncategory = "symptom"\nambiguous = true\n'
                                     '[context]\nwords = ["brain"]\nkey_words = ["complaint"]\n'
                                     '[[stop]]\ntext = "fog lights"\n')
    lexicon = load_lexicon(folder)
    assert terms(lexicon, "fog") == []
    assert terms(lexicon, "brain fog") == ["fog"]
    assert terms(lexicon, "fog", "chief_complaint") == ["fog"]
    assert terms(lexicon, "brain fog lights") == []


def test_a_text_is_scanned_once_for_every_key_unless_an_ambiguous_word_needs_the_key(tmp_path):
    folder = write_lexicon(tmp_path, '[[term]]\ntext = "fog"\ncategory = "symptom"\nambiguous = true\n'
                                     '[[term]]\ntext = "Zorblax syndrome"\ncategory = "condition"\n'
                                     '[context]\nkey_words = ["complaint"]\n')
    lexicon = load_lexicon(folder)
    scanned = []
    scan = lexicon._find
    lexicon._find = lambda text, key: scanned.append((text, key)) or scan(text, key)
    for key in ("service", "content_category", "chief_complaint"):
        assert terms(lexicon, "zorblax syndrome", key) == ["Zorblax syndrome"]
    assert scanned == [("zorblax syndrome", "service")]
    assert terms(lexicon, "fog", "service") == [] and terms(lexicon, "fog", "chief_complaint") == ["fog"]
    assert terms(lexicon, "fog", "service") == [] and terms(lexicon, "fog", "chief_complaint") == ["fog"]
    assert scanned[1:] == [("fog", "service"), ("fog", "chief_complaint")]


@pytest.mark.parametrize("body,problem", [
    ('[[term]]\ntext = "x"\ncategory = "disease"\n', "must be one of"),
    ('[[term]]\ntext = "xyz"\ncategory = "condition"\ntags = ["scary"]\n', "unknown tag"),
    ('[[term]]\ntext = "xyz"\ncategory = "condition"\nweight = 2\n', "unknown key"),
    ('[[term]]\ntext = "--"\ncategory = "condition"\n', "no letters or digits"),
    ('[[term]]\ntext = "xyz"\ncategory = "condition"\nambiguous = "yes"\n', "true or false"),
])
def test_bad_lexicon_is_reported_with_file_and_key(tmp_path, body, problem):
    folder = write_lexicon(tmp_path, body)
    with pytest.raises(DataError, match=problem) as info:
        load_lexicon(folder)
    assert "extra.toml" in str(info.value) and "term[0]" in str(info.value)


def test_lexicon_file_needs_a_source(tmp_path):
    folder = tmp_path / "lexicons"
    folder.mkdir()
    (folder / "x.toml").write_text('schema_version = 1\n[[term]]\ntext = "xyz"\ncategory = "condition"\n')
    with pytest.raises(DataError, match="source"):
        load_lexicon(folder)


# --- PG-PHI-CONDITION -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def detector(lexicon):
    return ConditionDetector(lexicon)


def test_condition_match(detector):
    [match] = detector.detect(field("Schedule: bipolarDisorder follow-up", "cd[buttonText]"), ctx("user_text"))
    assert (match.rule_id, match.category, match.severity) == ("PG-PHI-CONDITION", "condition", "high")
    assert match.term == "bipolar disorder" and match.sensitive_tags == ("mental-health",)
    assert match.evidence == "…bipolarDisorder…"
    assert "Schedule" not in match.evidence and "condition 'bipolar disorder'" in match.detail


def test_ambiguous_match_explains_its_context(detector):
    [match] = detector.detect(field("cold", "symptom"), ctx())
    assert "key 'symptom'" in match.detail and match.confidence < 0.9


@pytest.mark.parametrize("role", ["page_url", "referrer", "title", "user_id", "hashed_id", "device_id"])
def test_skipped_roles(detector, role):
    assert detector.detect(field("breast cancer", "x"), ctx(role)) == []


@pytest.mark.parametrize("role", ["", "event", "user_text"])
def test_scanned_roles(detector, role):
    assert [m.term for m in detector.detect(field("breast cancer", "x"), ctx(role))] == ["breast cancer"]


def test_one_match_per_term(detector):
    matches = detector.detect(field("HIV test, HIV tests and hiv testing; also Lipitor"), ctx())
    assert [m.term for m in matches] == ["HIV test", "Lipitor"]


@pytest.mark.parametrize("value", ["", " ", "%", "%%%", "%zz", "\ud800", "a" * 100000, "hiv " * 30000,
                                   "%E2%82" * 1000, "+" * 5000, "'" * 100, "İstanbul"])
def test_never_raises(detector, lexicon, value):
    detector.detect(field(value), ctx())
    lexicon.find_terms(value)


def test_large_values_are_scanned(detector):
    # how long this takes is measured by scripts/bench_limits.py
    value = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit; "
             "patients with diabetes may call. " * 900)[: 64 * 1024]
    assert [match.term for match in detector.detect(field(value), ctx())] == ["diabetes"]


# --- the generated layer (patterns/lexicons/generated/, scripts/build_lexicon.py) ------------

@pytest.mark.parametrize("text,term,category,tags,source", [
    ("Down syndrome", "Down syndrome", "condition", ("genetic",), "conditions.toml"),  # curated wins
    ("Presbycusis", "Presbycusis", "condition", (), "generated/icd10cm.json"),
    ("Alcohol dependence", "Alcohol dependence", "condition", ("substance-use",), "generated/icd10cm.json"),
    ("gambling disorder", "Pathological gambling", "condition", ("mental-health",), "generated/icd10cm.json"),
    ("stomach cancer", "stomach cancer", "condition", ("oncology",), "generated/icd10cm.json"),
    ("Hesitancy of micturition", "Hesitancy of micturition", "symptom", (), "generated/icd10cm.json"),
    ("Pregnant state", "Pregnant state", "status", ("reproductive",), "generated/icd10cm.json"),
    ("ziagen", "abacavir", "medication", ("hiv-sti",), "generated/drugs.json"),
    ("dolutegravir", "dolutegravir", "medication", ("hiv-sti",), "generated/drugs.json"),
    ("Tylenol", "acetaminophen", "medication", (), "generated/drugs.json"),
    ("colonoscopy", "colonoscopy", "procedure", (), "procedures.toml"),
    ("oncology", "oncology", "specialty", ("oncology",), "specialties.toml"),
])
def test_every_category_and_layer(lexicon, text, term, category, tags, source):
    [hit] = lexicon.find_terms(text)
    assert (hit.term, hit.category, hit.tags) == (term, category, tags)
    assert source.endswith(hit.source)
    assert (source in lexicon.sources) and (hit.source_id != "") == source.startswith("generated/")


def test_generated_terms_cite_their_source_code(lexicon):
    [hit] = lexicon.find_terms("Presbycusis")
    assert hit.source_id.startswith("ICD-10-CM H91")
    [match] = ConditionDetector(lexicon).detect(field("presbycusis", "reason"), ctx())
    assert "(ICD-10-CM H91" in match.detail


def test_generated_layer_is_large_and_tagged(lexicon):
    generated = [t for t in lexicon.terms if t.source_id]
    assert len({t.text for t in generated}) > 8000
    assert {tag for t in generated for tag in t.tags} == {"mental-health", "substance-use", "reproductive",
                                                          "hiv-sti", "genetic", "gender-affirming", "oncology"}


def test_generated_term_never_overrides_curated_spelling(tmp_path):
    folder = write_lexicon(tmp_path, '[[term]]\ntext = "fog"\ncategory = "symptom"\nambiguous = true\n')
    (folder / "generated").mkdir()
    (folder / "generated" / "x.json").write_text(json.dumps({
        "schema_version": 1, "source": {"name": "t", "licence": "t"},
        "term": [{"text": "fog", "category": "condition"}, {"text": "fogs", "category": "condition"},
                 {"text": "zorblaxia", "category": "condition", "source_id": "T1"}]}))
    lexicon = load_lexicon(folder)
    assert terms(lexicon, "fog") == [] and terms(lexicon, "fogs") == []  # still ambiguous
    assert terms(lexicon, "zorblaxia") == ["zorblaxia"]


def test_broken_generated_file_is_reported(tmp_path):
    folder = write_lexicon(tmp_path, "")
    (folder / "generated").mkdir()
    (folder / "generated" / "x.json").write_text('{"schema_version": 1, "term": [')
    with pytest.raises(DataError, match="x.json.*not valid JSON"):
        load_lexicon(folder)


# --- ambiguous words: a stoplist and context, never dropped ---------------------------------

@pytest.mark.parametrize("text,key,expected", [
    ("cold", "symptom", ["cold"]),
    ("I have had a cold for a week, need a doctor", "", ["cold"]),
    ("Cold Stone Creamery", "symptom", []),
    ("cold brew", "symptom", []),
    ("stroke", "condition", ["stroke"]),
    ("stroke warning signs", "", ["stroke"]),
    ("stroke of genius", "condition", []),
    ("back", "symptom", ["back"]),
    ("lower back pain", "", ["back pain"]),
    ("back to top", "symptom", []),
    ("MS", "condition", ["MS"]),
    ("MS Office", "condition", []),
    ("ED treatment options", "", ["ED"]),
    ("driver ed", "condition", []),
    ("Dr Pepper", "medication", []),
    ("heart of the city", "condition", []),
    ("heart disease", "", ["heart disease"]),
    ("boil", "symptom", ["Boil"]),  # generated, ambiguous: a common word
    ("boil the pasta", "", []),
])
def test_ambiguous_words_in_and_out_of_health_context(lexicon, text, key, expected):
    assert terms(lexicon, text, key) == expected
