from pathlib import Path

from pixelguard_addon.cli import main


def test_prints_the_shim_file(capsys):
    assert main(["addon-path"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.is_file() and path.name == "mitm_entry.py"
    assert "addons = [PixelGuard()]" in path.read_text()
