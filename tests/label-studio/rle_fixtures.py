"""Writes brush RLE test vectors made by label-studio-converter, for LoupeServerTests.

Usage: python3 rle_fixtures.py OUT.json   (in a virtual environment with label-studio-converter)

Each vector is a random mask (its pixels as bits, row by row, first pixel in the high bit) (blobs, lines, single pixels, empty, full, and one large enough for
runs over 65,536 values) with the RLE `brush.mask2rle` writes for it. The Swift tests encode
each mask and compare with the RLE, and decode each RLE and compare with the mask.
"""
import base64
import json
import random
import sys

import numpy as np
from label_studio_converter import brush


def masks(rng):
    yield np.zeros((1, 1), np.uint8)
    yield np.full((1, 1), 255, np.uint8)
    yield np.zeros((7, 5), np.uint8)
    yield np.full((300, 300), 255, np.uint8)  # 360,000 equal values: several 65,536-value runs
    alternating = np.zeros((3, 11), np.uint8)
    alternating[:, ::2] = 255
    yield alternating  # runs of exactly 4 values (one pixel, four channels)
    for _ in range(40):
        h, w = rng.randint(1, 80), rng.randint(1, 80)
        mask = np.zeros((h, w), np.uint8)
        for _ in range(rng.randint(0, 6)):
            y, x, r = rng.randrange(h), rng.randrange(w), rng.randint(0, 9)
            yy, xx = np.ogrid[:h, :w]
            mask[(yy - y) ** 2 + (xx - x) ** 2 <= r * r] = 255
        for _ in range(rng.randint(0, 20)):
            mask[rng.randrange(h), rng.randrange(w)] = rng.choice([0, 255])
        yield mask


def main():
    rng = random.Random(20261129)
    vectors = []
    for mask in masks(rng):
        rle = brush.mask2rle(mask)
        decoded = brush.decode_rle(rle).reshape(mask.shape[0], mask.shape[1], 4)[:, :, 3]
        assert (decoded == mask).all(), "the converter does not round-trip its own RLE"
        vectors.append({
            "width": int(mask.shape[1]), "height": int(mask.shape[0]),
            "bits": base64.b64encode(np.packbits(mask > 0).tobytes()).decode(), "rle": [int(b) for b in rle],
        })
    with open(sys.argv[1], "w") as out:
        json.dump({"converter": brush.__name__, "vectors": vectors}, out, separators=(",", ":"))


if __name__ == "__main__":
    main()
