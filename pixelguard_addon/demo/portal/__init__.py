"""The bundled demo patient portal: a fictional hospital site whose tags leak on purpose."""
from .server import PortalServer

PORTAL_HOST = "portal.mercyvalley-health.test"

__all__ = ["PORTAL_HOST", "PortalServer"]
