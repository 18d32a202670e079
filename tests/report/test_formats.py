"""Every report format is written through one owner-only path."""
from __future__ import annotations

import pytest

from pixelguard_addon.report.formats import RENDERERS, write_report

from .helpers import report


@pytest.mark.parametrize("format_name", sorted(RENDERERS))
def test_written_owner_only_with_the_rendered_text(tmp_path, format_name):
    path = tmp_path / f"out.{format_name}"
    path.write_text("stale")
    path.chmod(0o666)
    rep = report()
    write_report(rep, format_name, path)
    assert path.read_text(encoding="utf-8") == RENDERERS[format_name](rep)
    assert path.stat().st_mode & 0o777 == 0o600
