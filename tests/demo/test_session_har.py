import base64
import gzip

from mitmproxy.test import tflow, tutils

from pixelguard_addon.capture import read_capture
from pixelguard_addon.demo.session_har import from_site, make_har, write_har

PORTAL = "portal.mercyvalley-health.test"


def flow(host, path=b"/", body=b"", headers=()):
    request = tutils.treq(scheme=b"https", host=host, port=443, method=b"POST", path=path,
                          headers=((b"host", host.encode()), *headers), content=b"")
    request.raw_content = body  # as sent: Request.make would re-encode
    return tflow.tflow(req=request, resp=True)


def test_binary_bodies_survive_as_base64_text_ones_as_text(tmp_path):
    packed = gzip.compress(b'{"events":[{"text":"call me"}]}', mtime=0)
    flows = [flow("content.hotjar.io", body=packed), flow("analytics.tiktok.com", body=b'{"event":"x"}')]
    har = make_har(flows)
    binary, text = (entry["request"]["postData"] for entry in har["log"]["entries"])
    assert binary["encoding"] == "base64" and base64.b64decode(binary["text"]) == packed
    assert text["text"] == '{"event":"x"}' and "encoding" not in text
    assert all("text" not in entry["response"]["content"] for entry in har["log"]["entries"])
    path = write_har(flows, tmp_path / "s.har")
    assert [r.body for r in read_capture(path)] == [packed, b'{"event":"x"}']


def test_from_site_keeps_the_site_and_what_its_pages_sent():
    assert from_site(flow(PORTAL), PORTAL)
    assert from_site(flow("www.facebook.com", headers=((b"referer", f"https://{PORTAL}/x".encode()),)), PORTAL)
    assert from_site(flow("analytics.tiktok.com", headers=((b"origin", f"https://{PORTAL}".encode()),)), PORTAL)
    assert not from_site(flow("update.googleapis.com"), PORTAL)
    assert not from_site(flow("x.test", headers=((b"referer", f"https://{PORTAL}.evil.test/".encode()),)), PORTAL)
