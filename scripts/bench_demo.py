#!/usr/bin/env python3
"""The live demo's costs: mitmdump start-up with pixelguard, per-request latency through the live
proxy (the recorded visit replayed), and a whole Chromium visit when a browser is available."""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from pixelguard_addon.capture import read_capture
from pixelguard_addon.demo import browser, certs, replay, session
from pixelguard_addon.demo.patient import demo_patient, demo_policy_path
from pixelguard_addon.demo.portal import PORTAL_HOST, PortalServer
from pixelguard_addon.demo.proxy_process import ProxyProcess

ROUNDS = 5

with tempfile.TemporaryDirectory() as tmp, PortalServer() as portal:
    paths = session.SessionFiles(Path(tmp))
    options = session.proxy_options(paths, Path(tmp) / "conf", demo_policy_path(), portal)
    started = time.perf_counter()
    with ProxyProcess([session.addon_script(), session.route_script()], options, paths.proxy_log) as proxy:
        print(f"mitmdump start-up with pixelguard: {(time.perf_counter() - started) * 1000:.0f} ms")
        tls = certs.client_context(certs.ca_cert_path(Path(tmp) / "conf"))
        requests = list(read_capture(session.bundled_capture()))
        timings = []
        for _ in range(ROUNDS):
            for request in requests:
                begin = time.perf_counter()
                replay.send_through_proxy(request, proxy.port, tls)
                timings.append(time.perf_counter() - begin)
        timings.sort()
        print(f"replayed through the live proxy: {len(timings)} requests ({len(requests)} x {ROUNDS}), "
              f"each on a new TLS tunnel")
        print(f"latency: p50 {statistics.median(timings) * 1000:.1f} ms, "
              f"p99 {timings[int(len(timings) * 0.99)] * 1000:.1f} ms")
        if browser.browser_unavailable_reason():
            print(f"browser visit: skipped ({browser.browser_unavailable_reason()})")
        else:
            spki = certs.spki_sha256_base64(certs.ca_cert_path(Path(tmp) / "conf"))
            with browser.chromium(proxy.url, spki) as chromium:
                begin = time.perf_counter()
                browser.visit_portal(chromium, f"https://{PORTAL_HOST}", demo_patient(), say=lambda _: None)
                print(f"browser visit (6 steps, Chromium through the proxy): {time.perf_counter() - begin:.1f} s")
