import sys

import pytest

from pixelguard_addon.demo.proxy_process import ProxyError, ProxyProcess


def test_command_spells_options_as_mitmdump_wants_them(tmp_path):
    proxy = ProxyProcess(["a.py", "b.py"], {"flag": True, "off": False, "hosts": ["x", "y"], "n": 3},
                         tmp_path / "log", mode="upstream:http://127.0.0.1:9")
    command = proxy.command()
    assert command[0] == sys.executable
    assert command[command.index("--mode") + 1] == "upstream:http://127.0.0.1:9"
    assert [command[i + 1] for i, arg in enumerate(command) if arg == "-s"] == ["a.py", "b.py"]
    sets = [command[i + 1] for i, arg in enumerate(command) if arg == "--set"]
    assert sets == ["flag=true", "off=false", "hosts=x", "hosts=y", "n=3"]
    assert ["--listen-host", "127.0.0.1", "--listen-port", "0"] == command[3:7]


def test_starts_on_an_ephemeral_port_and_stops_cleanly(tmp_path):
    with ProxyProcess([], {"confdir": str(tmp_path / "conf")}, tmp_path / "mitmdump.log") as proxy:
        assert proxy.port > 0 and proxy.running()
        assert proxy.url == f"http://127.0.0.1:{proxy.port}"
    assert not proxy.running()
    assert (tmp_path / "conf" / "mitmproxy-ca-cert.pem").exists()


def test_a_script_that_fails_to_load_stops_the_start(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("import no_such_module_here\n")
    proxy = ProxyProcess([str(broken)], {"confdir": str(tmp_path / "conf")}, tmp_path / "mitmdump.log")
    with pytest.raises(ProxyError, match="no_such_module_here"):
        proxy.start()
    assert not proxy.running()
