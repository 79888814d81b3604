"""Write the precompressed files beside the campaign's static files:
``FILE.gz`` (gzip, no time stamp) and ``FILE.br`` (Brotli) for each file
of :data:`COMPRESSED` in ``conformance/static/``.

WhiteNoise serves the smallest variant a request accepts, so the files are
chosen to compress well; nginx ``gzip_static`` serves the ``.gz`` (it has no
Brotli module in Debian's nginx-light). ``python conformance/compress_static.py``
rewrites them (Brotli from the ``campaign`` extra); ``--check`` only says
whether the committed ones are what it would write.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path
from typing import Final

STATIC: Final = Path(__file__).resolve().parent / "static"
#: The static files that get precompressed variants.
COMPRESSED: Final = ("compressible.txt",)


def variants(content: bytes) -> dict[str, bytes]:
    """The precompressed forms of ``content``, by file suffix."""
    import brotli  # the campaign extra

    return {
        ".gz": gzip.compress(content, compresslevel=9, mtime=0),
        ".br": brotli.compress(content, quality=11),
    }


def main(argv: list[str]) -> int:
    stale = []
    for name in COMPRESSED:
        source = STATIC / name
        for suffix, data in variants(source.read_bytes()).items():
            target = source.with_name(name + suffix)
            if target.exists() and target.read_bytes() == data:
                continue
            stale.append(target.name)
            if "--check" not in argv:
                target.write_bytes(data)
    if stale:
        print(("stale: " if "--check" in argv else "wrote: ") + ", ".join(stale))
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
