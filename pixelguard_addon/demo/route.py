"""mitmproxy addon: serve a hostname from a local address (the demo portal on loopback).

`--set demo_route=portal.mercyvalley-health.test=127.0.0.1:8042` sends that host's requests
to 127.0.0.1:8042 over plain HTTP; the browser still sees HTTPS from the proxy and its own URL.
Load it after pixelguard's addon (`-s mitm_entry.py -s route_entry.py`), so pixelguard inspects
the request as the browser sent it. The URL is put back once the response is in, so saved flows
and HAR exports show the portal's real address.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from mitmproxy import ctx, exceptions, http

ORIGINAL_URL = "demo_route_original_url"


class Route(NamedTuple):
    host: str
    address: str
    port: int


def parse_route(spec: str) -> Route:
    """"host=127.0.0.1:PORT" → Route; ValueError with the reason otherwise."""
    host, sep, target = spec.partition("=")
    address, colon, port = target.rpartition(":")
    if not sep or not colon or not host.strip() or not address or not port.isdigit():
        raise ValueError(f"expected HOST=ADDRESS:PORT, got {spec!r}")
    return Route(host.strip().lower(), address, int(port))


class DemoRoute:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}

    def load(self, loader) -> None:
        loader.add_option("demo_route", Sequence[str], [],
                          "Serve HOST from a local ADDRESS:PORT over plain HTTP: HOST=ADDRESS:PORT.")

    def configure(self, updated: set[str]) -> None:
        try:
            routes = [parse_route(spec) for spec in ctx.options.demo_route]
        except ValueError as exc:
            raise exceptions.OptionsError(f"demo_route: {exc}") from exc
        self.routes = {route.host: route for route in routes}

    def request(self, flow: http.HTTPFlow) -> None:
        route = self.routes.get(flow.request.pretty_host.lower())
        if route is None or flow.response or flow.error:
            return
        flow.metadata[ORIGINAL_URL] = flow.request.pretty_url
        host_header = flow.request.host_header
        flow.request.scheme, flow.request.host, flow.request.port = "http", route.address, route.port
        flow.request.host_header = host_header  # the portal sees the name it is served under

    def response(self, flow: http.HTTPFlow) -> None:
        original = flow.metadata.pop(ORIGINAL_URL, None)
        if original:
            host_header = flow.request.host_header
            flow.request.url = original
            flow.request.host_header = host_header
