"""The file mitmproxy loads: `mitmdump -s "$(pixelguard addon-path)"`.

mitmproxy runs a script as a loose module, so relative imports fail here: absolute only.
"""
from pixelguard_addon.addon import PixelGuard

addons = [PixelGuard()]
