import textwrap

import pytest

from pixelguard_addon import catalog as catalog_module
from pixelguard_addon.catalog import (
    KINDS,
    ROLES,
    Catalog,
    PatternsError,
    Vendor,
    load_catalog,
    patterns_dir,
)


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


# -- the shipped catalog -------------------------------------------------------------------

REQUIRED_VENDORS = {
    "meta_pixel", "meta_graph_api", "ga", "google_ads", "google_tag_manager", "tiktok_pixel",
    "linkedin_insight", "snap_pixel", "pinterest_tag", "x_pixel", "microsoft_uet",
    "microsoft_clarity", "hotjar", "fullstory", "segment", "mixpanel", "amplitude", "heap",
    "posthog", "sentry", "datadog_rum", "new_relic",
}


def test_patterns_dir_holds_the_shipped_files():
    assert (patterns_dir() / "trackers.toml").is_file()
    assert (patterns_dir() / "field_roles.toml").is_file()


def test_every_required_vendor_loads(cat):
    ids = {vendor.id for vendor in cat.vendors}
    assert REQUIRED_VENDORS <= ids
    assert len(cat) == len(cat.vendors) >= len(REQUIRED_VENDORS)


def test_catalog_covers_at_least_sixty_vendors_of_every_kind(cat):
    assert len(cat) >= 60
    assert {vendor.kind for vendor in cat.vendors} == set(KINDS)


def test_every_vendor_is_complete(cat):
    for vendor in cat.vendors:
        assert vendor.name and vendor.kind in KINDS, vendor.id
        assert vendor.hosts, vendor.id
        assert set(vendor.fields.values()) <= set(ROLES), vendor.id
        assert cat.get(vendor.id) is vendor
        # every host of a vendor leads back to it (no host shadowed by another vendor's entry)
        for host in vendor.hosts:
            probe = host.replace("*.", "x1.")
            assert cat.vendor_for_host(probe) is vendor, (vendor.id, host)


@pytest.mark.parametrize(
    "host, vendor_id",
    [
        ("www.facebook.com", "meta_pixel"),
        ("graph.facebook.com", "meta_graph_api"),
        ("www.google-analytics.com", "ga"),
        ("region1.google-analytics.com", "ga"),
        ("region7.google-analytics.com", "ga"),
        ("analytics.google.com", "ga"),
        ("stats.g.doubleclick.net", "ga"),  # exact host beats *.doubleclick.net
        ("googleads.g.doubleclick.net", "google_ads"),
        ("1234567.fls.doubleclick.net", "google_ads"),
        ("www.googleadservices.com", "google_ads"),
        ("www.googletagmanager.com", "google_tag_manager"),
        ("analytics.tiktok.com", "tiktok_pixel"),
        ("px.ads.linkedin.com", "linkedin_insight"),
        ("tr6.snapchat.com", "snap_pixel"),
        ("ct.pinterest.com", "pinterest_tag"),
        ("t.co", "x_pixel"),
        ("analytics.twitter.com", "x_pixel"),
        ("bat.bing.com", "microsoft_uet"),
        ("abc.clarity.ms", "microsoft_clarity"),
        ("www.clarity.ms", "microsoft_clarity"),
        ("content.hotjar.io", "hotjar"),
        ("ws12.hotjar.com", "hotjar"),
        ("rs.fullstory.com", "fullstory"),
        ("api.segment.io", "segment"),
        ("api-js.mixpanel.com", "mixpanel"),
        ("api2.amplitude.com", "amplitude"),
        ("heapanalytics.com", "heap"),
        ("us.i.posthog.com", "posthog"),
        ("eu.i.posthog.com", "posthog"),
        ("o123.ingest.sentry.io", "sentry"),
        ("o123.ingest.us.sentry.io", "sentry"),
        ("browser-intake-datadoghq.com", "datadog_rum"),
        ("bam.nr-data.net", "new_relic"),
        ("app-measurement.com", "firebase"),
        ("app.eu.adjust.com", "adjust"),
        ("myapp.app.link", "branch"),
        ("abc-launches.appsflyersdk.com", "appsflyer"),
    ],
)
def test_vendor_for_host(cat, host, vendor_id):
    vendor = cat.vendor_for_host(host)
    assert vendor is not None and vendor.id == vendor_id


@pytest.mark.parametrize("host", ["WWW.Facebook.COM", "www.facebook.com.", "www.facebook.com:443", " www.facebook.com "])
def test_vendor_for_host_normalises(cat, host):
    assert cat.vendor_for_host(host).id == "meta_pixel"


@pytest.mark.parametrize(
    "host",
    ["example.com", "clarity.ms", "facebook.com.evil.example", "notclarity.ms", "ingest.sentry.io", "", "[::1]:8080"],
)
def test_unknown_host_is_none(cat, host):
    # a wildcard `*.clarity.ms` covers hosts below clarity.ms, not clarity.ms itself
    assert cat.vendor_for_host(host) is None


def test_vendor_for_host_uses_the_index_not_the_vendor_list(cat):
    class NoScan(tuple):
        def __iter__(self):
            raise AssertionError("vendor_for_host scanned the vendor list")

    indexed = Catalog(cat.vendors, cat.generic_fields)
    indexed.vendors = NoScan(indexed.vendors)
    assert indexed.vendor_for_host("o1.ingest.sentry.io").id == "sentry"
    assert indexed.vendor_for_host("www.facebook.com").id == "meta_pixel"


@pytest.mark.parametrize(
    "vendor_id, key, role",
    [
        ("meta_pixel", "dl", "page_url"),
        ("meta_pixel", "rl", "referrer"),
        ("meta_pixel", "ud[em]", "hashed_id"),
        ("meta_pixel", "ud[zp]", "hashed_id"),  # via ud[*]
        ("meta_pixel", "udff[fn]", "hashed_id"),
        ("meta_pixel", "cd[buttonText]", "user_text"),
        ("meta_pixel", "cd[pageFeatures]", "title"),  # exact beats cd[*]
        ("meta_pixel", "cd[buttonFeatures].innerText", "user_text"),
        ("meta_pixel", "cd[Schema.org].description", "user_text"),
        ("meta_pixel", "ev", "event"),
        ("ga", "dl", "page_url"),
        ("ga", "dt", "title"),
        ("ga", "ep.search_term", "user_text"),
        ("ga", "ep.anything_else", "user_text"),
        ("ga", "uid", "user_id"),
        ("ga", "cid", "device_id"),
        ("mixpanel", "$current_url", "page_url"),
        ("mixpanel", "properties.$current_url", "page_url"),  # last element beats properties.*
        ("mixpanel", "properties.plan", "user_text"),
        ("posthog", "$current_url", "page_url"),
        ("posthog", "$el_text", "user_text"),
        ("tiktok_pixel", "context.page.url", "page_url"),
        ("segment", "traits.email", "contact"),
        ("segment", "batch[3].context.page.url", "page_url"),  # array index dropped
        ("snap_pixel", "u_hem", "hashed_id"),
        ("datadog_rum", "usr.email", "contact"),
        ("firebase", "1[0].19[0]", "device_id"),  # protobuf field path, indexes dropped
        ("meta_pixel", "no_such_key", ""),
        ("meta_pixel", "", ""),
    ],
)
def test_vendor_role_of(cat, vendor_id, key, role):
    assert cat.get(vendor_id).role_of(key) == role


def test_catalog_role_of_prefers_vendor_then_generic(cat):
    ga = cat.get("ga")
    assert cat.role_of("$current_url", None) == "page_url"
    assert cat.role_of("dl", None) == "page_url"
    assert cat.role_of("em", ga) == "hashed_id"
    assert cat.role_of("email", ga) == "contact"  # ga does not list it: generic
    assert cat.role_of("email", cat.get("tiktok_pixel")) == "hashed_id"  # vendor wins
    assert cat.role_of("no_such_key", ga) == ""


@pytest.mark.parametrize("key, role", [("Email", "contact"), ("PAGE_URL", "page_url"), ("data.referrer", "referrer"), ("ud[ph]", "hashed_id")])
def test_generic_role(cat, key, role):
    assert cat.generic_role(key) == role


@pytest.mark.parametrize(
    "vendor_id, path, host, expected",
    [
        ("meta_pixel", "/tr", None, True),
        ("meta_pixel", "/tr/", None, True),
        ("meta_pixel", "/tr?id=1&ev=PageView", None, True),
        ("meta_pixel", "/track", None, False),
        ("meta_pixel", "/privacy_sandbox/pixel/register/trigger/", None, True),
        ("meta_graph_api", "/v19.0/123/events", None, True),
        ("meta_graph_api", "/v19.0", None, True),
        ("meta_graph_api", "/v19.0/me/friends", None, False),
        ("ga", "/g/collect", None, True),
        ("ga", "/j/collect", None, True),
        ("ga", "/analytics.js", None, False),
        ("google_ads", "/activity;src=1;type=a;cat=b;~oref=x", None, True),
        ("google_ads", "/activityi;src=1", None, True),
        ("google_ads", "/pagead/1p-user-list/123/", None, True),
        ("google_ads", "/recaptcha/api.js", None, False),
        ("sentry", "/api/42/envelope/", None, True),
        ("sentry", "/api/42/other/", None, False),
        ("hotjar", "/", "content.hotjar.io", True),
        ("hotjar", "/c/hotjar-1.js", "static.hotjar.com", False),
        ("microsoft_uet", "/action/0", None, True),
        ("new_relic", "/events/1/abc", None, True),
        ("google_tag_manager", "/gtm.js", None, False),
    ],
)
def test_is_endpoint(cat, vendor_id, path, host, expected):
    assert cat.get(vendor_id).is_endpoint(path, host) is expected


def test_is_script(cat):
    assert cat.get("google_tag_manager").is_script("/gtm.js")
    assert cat.get("hotjar").is_script("/c/hotjar-1.js", "static.hotjar.com")
    assert not cat.get("hotjar").is_script("/c/hotjar-1.js", "content.hotjar.io")


def test_vendor_is_immutable_and_hashable(cat):
    vendor = cat.get("meta_pixel")
    with pytest.raises(TypeError):
        vendor.fields["dl"] = "title"
    assert vendor in {vendor}
    assert vendor == load_catalog().get("meta_pixel")


def test_vendor_built_in_code():
    vendor = Vendor(id="x", name="X", kind="analytics", hosts=("x.example",), endpoints=("/c",), fields={"k*": "event"})
    assert vendor.role_of("key") == "event"
    assert vendor.is_endpoint("/c/1") and not vendor.is_endpoint("/d")


# -- validation ----------------------------------------------------------------------------

ROLES_OK = 'schema_version = 1\n[fields]\nurl = "page_url"\n'

VENDOR_OK = '''\
[[vendor]]
id = "first"
name = "First"
kind = "analytics"
hosts = ["a.example"]
endpoints = ["/collect"]
'''


def write(tmp_path, trackers: str, roles: str = ROLES_OK):
    trackers_path = tmp_path / "trackers.toml"
    roles_path = tmp_path / "field_roles.toml"
    trackers_path.write_text(textwrap.dedent(trackers), encoding="utf-8")
    roles_path.write_text(textwrap.dedent(roles), encoding="utf-8")
    return trackers_path, roles_path


def load_error(tmp_path, trackers: str, roles: str = ROLES_OK) -> PatternsError:
    paths = write(tmp_path, trackers, roles)
    with pytest.raises(PatternsError) as info:
        load_catalog(*paths)
    return info.value


def test_minimal_files_load(tmp_path):
    cat = load_catalog(*write(tmp_path, "schema_version = 1\n" + VENDOR_OK))
    assert [v.id for v in cat.vendors] == ["first"]
    assert cat.role_of("url", None) == "page_url"


def test_toml_syntax_error_names_file_and_line(tmp_path):
    error = load_error(tmp_path, "schema_version = 1\n" + VENDOR_OK + 'name = "broken\n')
    assert error.line == 8
    assert str(error).startswith(f"{tmp_path / 'trackers.toml'}:8: invalid TOML: ")
    assert "column" in str(error)


def test_toml_syntax_error_in_roles_file(tmp_path):
    error = load_error(tmp_path, "schema_version = 1\n" + VENDOR_OK, "schema_version = 1\n[fields]\nurl = \n")
    assert error.line == 3 and "field_roles.toml:3:" in str(error)


@pytest.mark.parametrize(
    "trackers, line, key, words",
    [
        # hosts is a string, not a list
        ("schema_version = 1\n" + VENDOR_OK.replace('["a.example"]', '"a.example"'), 6, "vendor[0].hosts", "expected a list of strings"),
        # unknown key in the second vendor
        ("schema_version = 1\n" + VENDOR_OK + VENDOR_OK.replace("first", "second") + 'colour = "red"\n', 14, "vendor[1].colour", "unknown key"),
        # unknown kind
        ("schema_version = 1\n" + VENDOR_OK.replace('"analytics"', '"adware"'), 5, "vendor[0].kind", "unknown kind"),
        # required key missing: points at the [[vendor]] header
        ("schema_version = 1\n" + VENDOR_OK.replace('kind = "analytics"\n', ""), 2, "vendor[0].kind", "missing"),
        # bad host inside a multi-line array: points at the element
        ("schema_version = 1\n" + VENDOR_OK.replace('["a.example"]', '[\n  "a.example",\n  "https://b.example/",\n]'), 8, "vendor[0].hosts[1]", "not a lowercase hostname"),
        # over-broad wildcard
        ("schema_version = 1\n" + VENDOR_OK.replace('["a.example"]', '["*.com"]'), 6, "vendor[0].hosts[0]", "too broad"),
        # endpoint with a query string
        ("schema_version = 1\n" + VENDOR_OK.replace('["/collect"]', '["/collect?v=1"]'), 7, "vendor[0].endpoints[0]", "no query"),
        # host-specific endpoint for a host the vendor does not have
        ("schema_version = 1\n" + VENDOR_OK.replace('["/collect"]', '["b.example/collect"]'), 7, "vendor[0].endpoints[0]", "not among this vendor's hosts"),
        # unknown role, quoted key
        ("schema_version = 1\n" + VENDOR_OK + '[vendor.fields]\n"ud[em]" = "hash"\n', 9, 'vendor[0].fields."ud[em]"', "unknown role"),
        # role is not a string
        ("schema_version = 1\n" + VENDOR_OK + "[vendor.fields]\ndl = 3\n", 9, "vendor[0].fields.dl", "expected a role name"),
        # fields is not a table
        ("schema_version = 1\n" + VENDOR_OK + 'fields = ["dl"]\n', 8, "vendor[0].fields", "expected a table"),
        # decoders: wrong element type
        ("schema_version = 1\n" + VENDOR_OK + "decoders = [1]\n", 8, "vendor[0].decoders", "expected a list of strings"),
        # decoders: a name the registry does not have
        ("schema_version = 1\n" + VENDOR_OK + 'decoders = ["json_strings", "clarity"]\n', 8, "vendor[0].decoders[1]",
         "unknown decoder 'clarity'"),
        # signature: keys is not a list
        ("schema_version = 1\n" + VENDOR_OK + '[[vendor.signature]]\npath = "/c"\nkeys = "id"\n', 10,
         "vendor[0].signature[0].keys", "non-empty list"),
        # duplicate vendor id: points at the second id
        ("schema_version = 1\n" + VENDOR_OK + VENDOR_OK.replace("a.example", "b.example"), 9, "vendor[1].id", "duplicate vendor id 'first'"),
        # one host claimed by two vendors
        ("schema_version = 1\n" + VENDOR_OK + VENDOR_OK.replace("first", "second"), 12, "vendor[1].hosts[0]", "already belongs to 'first'"),
        # id is not snake_case
        ("schema_version = 1\n" + VENDOR_OK.replace('id = "first"', 'id = "First-One"'), 3, "vendor[0].id", "snake_case"),
        # missing schema_version
        (VENDOR_OK, 1, "schema_version", "missing"),
        # wrong schema_version
        ("schema_version = 2\n" + VENDOR_OK, 1, "schema_version", "unsupported version 2"),
        ('schema_version = "1"\n' + VENDOR_OK, 1, "schema_version", "expected an integer"),
        # unknown top-level key
        ("schema_version = 1\nvendors = []\n" + VENDOR_OK, 2, "vendors", "unknown key"),
        # vendor is not an array of tables
        ("schema_version = 1\nvendor = 3\n", 2, "vendor", "expected [[vendor]] tables"),
    ],
)
def test_trackers_validation(tmp_path, trackers, line, key, words):
    error = load_error(tmp_path, trackers)
    assert (error.line, error.key) == (line, key)
    assert str(error).startswith(f"{tmp_path / 'trackers.toml'}:{line}: {key}: ")
    assert words in str(error)


@pytest.mark.parametrize(
    "roles, line, key, words",
    [
        ('schema_version = 1\n[fields]\nurl = "pageurl"\n', 3, "fields.url", "unknown role"),
        ('schema_version = 1\nurl = "page_url"\n', 2, "url", "unknown key"),
        ('[fields]\nurl = "page_url"\n', 1, "schema_version", "missing"),
        ('schema_version = 1\n[fields]\nEmail = "contact"\nemail = "user_id"\n', 4, "fields.email", "ignore case"),
    ],
)
def test_roles_validation(tmp_path, roles, line, key, words):
    error = load_error(tmp_path, "schema_version = 1\n" + VENDOR_OK, roles)
    assert (error.line, error.key) == (line, key)
    assert str(error).startswith(f"{tmp_path / 'field_roles.toml'}:{line}: {key}: ")
    assert words in str(error)


def test_missing_file(tmp_path):
    with pytest.raises(PatternsError, match="file not found"):
        load_catalog(tmp_path / "nope.toml", tmp_path / "nope2.toml")


def test_not_utf8(tmp_path):
    trackers, roles = write(tmp_path, "schema_version = 1\n")
    trackers.write_bytes(b"schema_version = 1\n# \xff\n")
    with pytest.raises(PatternsError, match="not UTF-8"):
        load_catalog(trackers, roles)


def test_display_path_is_relative_to_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "patterns").mkdir()
    trackers, roles = write(tmp_path / "patterns", "schema_version = 1\n" + VENDOR_OK.replace('"analytics"', '"adware"'))
    with pytest.raises(PatternsError) as info:
        load_catalog(trackers, roles)
    assert str(info.value).startswith("patterns/trackers.toml:5: vendor[0].kind: ")


def test_catalog_does_not_import_mitmproxy():
    import ast
    import inspect

    for module in (catalog_module,):
        tree = ast.parse(inspect.getsource(module))
        names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not any(name.startswith("mitmproxy") for name in names)
