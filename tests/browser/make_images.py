"""Writes a tiny synthetic lab's photographs and two experts' masks as PNG (stdlib only).

Usage: python3 make_images.py FOLDER [WIDTH HEIGHT]
Writes im1.png .. im4.png (or LOUPE_SYNTHETIC_IMAGES of them) (RGB, a dark wavy vessel on an orange fundus) and im1.mask.png,
im2.mask.png (grey, 255 on the vessel).
"""
import math
import struct
import os
import sys
import zlib


def png(width, height, channels, rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    colour = {1: 0, 3: 2}[channels]
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def vessel(x, y, seed, width):
    centre = width * (0.3 + 0.1 * seed) + 10 * math.sin(y / 9 + seed)
    return abs(x - centre) < 2.5 or abs(y - (20 + 7 * seed) - 0.2 * x) < 1.5


def main():
    folder = sys.argv[1]
    width = int(sys.argv[2]) if len(sys.argv) > 2 else 160
    height = int(sys.argv[3]) if len(sys.argv) > 3 else 120
    # The browser tests share one lab and each takes an image to correct: they ask for more.
    for seed in range(1, 1 + int(os.environ.get("LOUPE_SYNTHETIC_IMAGES", "4"))):
        rows = []
        for y in range(height):
            row = []
            for x in range(width):
                if vessel(x, y, seed, width):
                    row += [90, 30, 20]
                else:
                    row += [200 - (x * 7 + y * 3 + seed * 13) % 40, 110 + (x ^ y) % 30, 40]
            rows.append(row)
        with open(f"{folder}/im{seed}.png", "wb") as out:
            out.write(png(width, height, 3, rows))
        if seed <= 2:
            mask = [[255 if vessel(x, y, seed, width) else 0 for x in range(width)] for y in range(height)]
            with open(f"{folder}/im{seed}.mask.png", "wb") as out:
                out.write(png(width, height, 1, mask))


if __name__ == "__main__":
    main()
