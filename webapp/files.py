"""Files only Atrium's own user may read: they hold learners' TI tokens."""

from __future__ import annotations

import os
from pathlib import Path


def private_file(path: str) -> None:
    """Create `path` (and its folder) readable by this user only."""
    Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
