"""Where ``ti`` keeps what is not data: the user's own folder, never the data repository (SPEC §11).

``TI_STATE_DIR`` overrides it (tests, a shared machine); else the platform's per-user cache folder:
``%LOCALAPPDATA%\\ti`` on Windows, ``~/Library/Caches/ti`` on macOS, ``$XDG_CACHE_HOME/ti`` (default
``~/.cache/ti``) elsewhere — what platformdirs would say, without a dependency for three lines.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def user_dir() -> Path:
    if os.environ.get("TI_STATE_DIR"):
        return Path(os.environ["TI_STATE_DIR"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "ti"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ti"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ti"
