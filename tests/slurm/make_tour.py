"""Writes a STARE-like synthetic tour: COUNT fundus-like photographs named as STARE's
(im0001.png ...) and, for the first MASKS, an expert's vessel mask (im0001.ah.png), with the
drawing of tests/browser/make_images.py (stdlib only).

Usage: python3 make_tour.py FOLDER COUNT MASKS [WIDTH HEIGHT]
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "browser"))
from make_images import png, vessel  # noqa: E402


def main():
    folder, count, masks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    width = int(sys.argv[4]) if len(sys.argv) > 4 else 96
    height = int(sys.argv[5]) if len(sys.argv) > 5 else 80
    os.makedirs(f"{folder}/images", exist_ok=True)
    os.makedirs(f"{folder}/labels-ah", exist_ok=True)
    for n in range(1, count + 1):
        seed = n % 5 + n / 7
        rows = [
            [c for x in range(width) for c in
             ([90, 30, 20] if vessel(x, y, seed, width) else [200 - (x * 7 + y * 3 + n * 13) % 40, 110 + (x ^ y) % 30, 40])]
            for y in range(height)
        ]
        # The drawing repeats after a few dozen images: n's bytes in the corner keep each one distinct.
        rows[0][:3] = [n & 255, (n >> 8) & 255, (n >> 16) & 255]
        with open(f"{folder}/images/im{n:04d}.png", "wb") as out:
            out.write(png(width, height, 3, rows))
        if n <= masks:
            mask = [[255 if vessel(x, y, seed, width) else 0 for x in range(width)] for y in range(height)]
            with open(f"{folder}/labels-ah/im{n:04d}.ah.png", "wb") as out:
                out.write(png(width, height, 1, mask))


if __name__ == "__main__":
    main()
