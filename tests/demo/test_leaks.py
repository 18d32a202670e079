from pixelguard_addon.demo.leaks import PLANTED_LEAKS, false_alarms, missed_leaks
from pixelguard_addon.model import Finding


def finding(category, host, chain, page="https://portal.mercyvalley-health.test/conditions/hiv-prep"):
    return Finding(rule_id="PG-X", category=category, severity="high", vendor="v", vendor_id="v", method="GET",
                   url=f"https://{host}/", host=host, page_url=page, chain=chain, evidence="•••")


def test_every_planted_leak_needs_its_own_finding():
    assert missed_leaks([]) == list(PLANTED_LEAKS)
    caught = [finding(leak.category, leak.host, f"x → {leak.chain} → y") for leak in PLANTED_LEAKS]
    assert missed_leaks(caught) == []
    wrong_host = [finding(leak.category, "example.com", leak.chain) for leak in PLANTED_LEAKS]
    assert missed_leaks(wrong_host) == list(PLANTED_LEAKS)


def test_a_finding_on_the_home_page_is_a_false_alarm():
    home = finding("condition", "www.facebook.com", "query.dl", page="https://portal.mercyvalley-health.test/")
    assert false_alarms([home, finding("condition", "www.facebook.com", "query.dl")]) == [home]
