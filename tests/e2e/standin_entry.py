"""TEMPORARY shim for the stand-in addon (see standin_addon.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from standin_addon import PixelGuard  # noqa: E402

addons = [PixelGuard()]
