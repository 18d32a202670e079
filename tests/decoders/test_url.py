"""The request URL's own fields, and URL-valued fields anywhere."""
from __future__ import annotations

from pixelguard_addon.decoders.limits import Budget, Context, Limits
from pixelguard_addon.decoders.url import UrlValue, request_url, split_matrix

from .helpers import chains, decode, field, values

FLOODLIGHT = (
    "https://ad.doubleclick.net/activity;src=1234567;type=health0;cat=visit0;ord=8812;"
    "~oref=https%3A%2F%2Fportal.example.org%2Fconditions%2Fhiv%3Fstep%3D2?"
)


def ctx() -> Context:
    return Context(("query.x",), Budget(Limits()))


def test_floodlight_matrix_params_are_fields_and_oref_is_a_url():
    decoded = decode(FLOODLIGHT)
    found = chains(decoded)
    assert found["path;src"] == "1234567"
    assert found["path;type"] == "health0"
    assert found["path;~oref"] == "https://portal.example.org/conditions/hiv?step=2"
    assert found["path;~oref → url.path"] == "/conditions/hiv"
    assert found["path;~oref → url.query.step"] == "2"
    # The whole path is kept, but as a container: the page URL is reported once, via ~oref.
    path = field(decoded, "path")
    assert path.container and path.value.startswith("/activity;src=1234567")


def test_floodlight_ddm_form_puts_first_param_in_last_segment():
    head, pairs = split_matrix("/ddm/activity/src=99;type=t;cat=c")
    assert head == "/ddm/activity/"
    assert [(p.key, p.value) for p in pairs] == [("src", "99"), ("type", "t"), ("cat", "c")]


def test_plain_path_is_one_leaf():
    decoded = decode("https://www.google.com/pagead/1p-conversion/123/?url=x")
    path = field(decoded, "path")
    assert path.value == "/pagead/1p-conversion/123/" and not path.container
    assert not any(item.chain.startswith("path;") for item in decoded.fields)


def test_path_is_percent_decoded():
    assert request_url("https://x.example/a%20b/hiv%2Dtest").path == "/a b/hiv-test"


def test_url_value_parts():
    children = UrlValue().decode("https://portal.example.org/search?q=hiv+test&q=prep#results", "dl", ctx())
    assert [(c.steps, c.value) for c in children] == [
        (("url.host",), "portal.example.org"),
        (("url.path",), "/search"),
        (("url.query.q",), "hiv test"),
        (("url.query.q",), "prep"),
        (("url.fragment",), "results"),
    ]


def test_any_absolute_url_is_decoded_whatever_its_key():
    decoded = decode("https://t.example/p?whatever=https%3A%2F%2Fclinic.example%2Fhiv")
    assert chains(decoded)["query.whatever → url.path"] == "/hiv"


def test_relative_url_only_under_page_url_keys():
    decoded = decode("https://t.example/p?dl=%2Fconditions%2Fhiv%3Fq%3Dprep&note=%2Fnot%2Fa%3Furl%3D1")
    found = chains(decoded)
    assert found["query.dl → url.query.q"] == "prep"
    assert not field(decoded, "query.note").container


def test_bare_relative_path_is_not_split_into_itself():
    assert UrlValue().decode("/conditions/hiv", "dl", ctx()) is None


def test_sentences_and_broken_urls_are_not_urls():
    assert UrlValue().decode("https://x.org is where I read about HIV", "text", ctx()) is None
    assert UrlValue().decode("http://[::1/oops", "dl", ctx()) is None
    assert UrlValue().decode("ftp://files.example/x", "dl", ctx()) is None


def test_nested_url_in_url_query_is_decoded_again():
    decoded = decode(
        "https://t.example/p?dl=" + "https%3A%2F%2Fa.example%2Flogin%3Fnext%3Dhttps%253A%252F%252Fb.example%252Fhiv"
    )
    assert chains(decoded)["query.dl → url.query.next → url.path"] == "/hiv"


def test_request_query_repeated_keys_and_bracket_keys():
    decoded = decode("https://t.example/p?ep.item=a&ep.item=b&cd[x]=1&ep.search_term=hiv%20prep")
    assert values(decoded, "query.ep.item") == ["a", "b"]
    assert chains(decoded)["query.ep.search_term"] == "hiv prep"
    assert field(decoded, "query.cd[x]").key == "cd[x]"


def test_hash_route_in_page_url_is_read_as_a_url():
    decoded = decode("https://t.example/p?dl=https%3A%2F%2Fportal.example.org%2F%23%2Fsearch%3Fq%3Dhiv")
    assert chains(decoded)["query.dl → url.fragment → url.query.q"] == "hiv"
