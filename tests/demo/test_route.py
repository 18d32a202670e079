import pytest
from mitmproxy import exceptions
from mitmproxy.test import taddons, tflow, tutils

from pixelguard_addon.demo.route import DemoRoute, Route, parse_route

PORTAL = "portal.mercyvalley-health.test"


def test_parse_route():
    assert parse_route(f"{PORTAL.upper()}=127.0.0.1:8042") == Route(PORTAL, "127.0.0.1", 8042)


@pytest.mark.parametrize("spec", ["", PORTAL, f"{PORTAL}=127.0.0.1", f"{PORTAL}=127.0.0.1:http", "=127.0.0.1:80"])
def test_parse_route_rejects(spec):
    with pytest.raises(ValueError, match="HOST=ADDRESS:PORT"):
        parse_route(spec)


def portal_flow():
    return tflow.tflow(req=tutils.treq(scheme=b"https", host=PORTAL, port=443, path=b"/MyChart/login?x=1",
                                       authority=PORTAL.encode(), headers=((b"host", PORTAL.encode()),)))


def test_routes_the_host_to_the_local_address_and_restores_the_url():
    route = DemoRoute()
    with taddons.context(route) as tctx:
        tctx.configure(route, demo_route=[f"{PORTAL}=127.0.0.1:8042"])
        flow = portal_flow()
        route.request(flow)
        assert (flow.request.scheme, flow.request.host, flow.request.port) == ("http", "127.0.0.1", 8042)
        assert flow.request.host_header == PORTAL
        flow.response = tutils.tresp()
        route.response(flow)
        assert flow.request.pretty_url == f"https://{PORTAL}/MyChart/login?x=1"


def test_other_hosts_and_answered_flows_are_left_alone():
    route = DemoRoute()
    with taddons.context(route) as tctx:
        tctx.configure(route, demo_route=[f"{PORTAL}=127.0.0.1:8042"])
        other = tflow.tflow(req=tutils.treq(scheme=b"https", host="www.facebook.com", port=443))
        route.request(other)
        assert other.request.host == "www.facebook.com"
        answered = portal_flow()
        answered.response = tutils.tresp()
        route.request(answered)
        assert answered.request.host == PORTAL


def test_bad_route_option_is_refused():
    route = DemoRoute()
    with taddons.context(route) as tctx, pytest.raises(exceptions.OptionsError, match="demo_route"):
        tctx.configure(route, demo_route=["nonsense"])
