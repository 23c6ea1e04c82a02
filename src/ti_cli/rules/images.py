"""Whether a logo is an image every output can embed, read to its end (not only its header): a
truncated PNG passed a header check and then stopped the Word output with a traceback.

No imaging library: PNG is walked chunk by chunk (each CRC checked, the pixel data inflated to its
end, within a bound), JPEG segment by segment to its end-of-image marker.
"""

from __future__ import annotations

import struct
import zlib

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8"
MAX_INFLATED = 256 * 1024 * 1024  # a logo's pixels: far beyond any real one, and no decompression bomb


def image_complete(data: bytes) -> bool:
    """A whole, well-formed PNG or JPEG."""
    if data.startswith(PNG):
        return _png(data)
    if data.startswith(JPEG + b"\xff"):
        return _jpeg(data)
    return False


def _png(data: bytes) -> bool:
    at, kinds, pixels = len(PNG), [], zlib.decompressobj()
    inflated = 0
    while at + 12 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if len(body) != length or at + 12 + length > len(data):
            return False  # cut in the middle of a chunk
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        if zlib.crc32(kind + body) != crc:
            return False
        kinds.append(kind)
        if kind == b"IDAT":
            try:
                inflated += len(pixels.decompress(body, MAX_INFLATED - inflated))
            except zlib.error:
                return False
            if pixels.unconsumed_tail:
                return False  # more pixels than any logo holds
        at += 12 + length
        if kind == b"IEND":
            break
    return bool(kinds) and kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds and pixels.eof


def _jpeg(data: bytes) -> bool:
    at = 2
    while at + 2 <= len(data):
        if data[at] != 0xFF:
            return False
        marker = data[at + 1]
        if marker == 0xD9:
            return True  # end of image
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            at += 2
            continue
        if at + 4 > len(data):
            return False
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker
            while at + 1 < len(data) and not (data[at] == 0xFF and data[at + 1] not in (0x00, *range(0xD0, 0xD8))):
                at += 1
    return False
