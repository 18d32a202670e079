"""`mitmdump -s route_entry.py`: the demo route addon (absolute imports only: mitmproxy loads
this file as a script, outside the package)."""
from pixelguard_addon.demo.route import DemoRoute

addons = [DemoRoute()]
