"""Suite-wide settings."""
import os
import tempfile

# The built-lexicon cache goes to a directory of this run, not the user's ~/.cache: the suite
# neither depends on nor leaves behind what an earlier run built. Subprocesses inherit it.
os.environ.setdefault("PIXELGUARD_CACHE_DIR", tempfile.mkdtemp(prefix="pixelguard-test-cache-"))
