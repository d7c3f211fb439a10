#!/usr/bin/env python3
"""The starting mask of the actions-per-fix measurement: a STARE expert label degraded by three
missed vessels and three false ones, and what each fix must achieve.

Usage: bench/page/start-mask.py STARE_DIR OUT_DIR   (writes OUT_DIR/start.png and fixes.json)

Starting mask = ah's label of im0240
  - three missed vessels: stretches of ah's own vessels, removed. Each is the centreline path
    (Zhang-Suen skeleton of ah, shortest path between two chosen points) and the ah pixels
    nearest to it along the vessel (a geodesic split of the vessel pixels between skeleton
    branches, so crossing vessels stay whole);
  - three false ones: pieces only the second expert (vk) drew, isolated from ah's vessels by at
    least 3 pixels. Against ah's ground truth they are false, with the shapes of a model's
    vessel-like false detections.
"""
import json
import os
import sys
from collections import deque

import numpy as np

from pngio import grey_png, read_png

IMAGE = "im0240"
# (from, to): points near ah's centreline; the path between them is the missed vessel.
MISSED = [((449, 412), (573, 366)), ((220, 447), (242, 369)), ((134, 147), (141, 187))]
# Boxes (x0, y0, x1, y1) each holding one vk-only piece.
FALSE = [(405, 503, 425, 551), (441, 279, 453, 315), (48, 416, 127, 433)]
STEPS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]


def thin(mask):
    """Zhang-Suen thinning of a boolean array."""
    img = mask.astype(np.uint8)
    h, w = img.shape
    while True:
        changed = False
        for step in (0, 1):
            p = np.pad(img, 1)
            n = [p[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy, dx in [(-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1)]]
            b = sum(n)
            a = sum(((n[k] == 0) & (n[(k + 1) % 8] == 1)).astype(np.uint8) for k in range(8))
            p2, _, p4, _, p6, _, p8, _ = n
            c = ((p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)) if step == 0 else ((p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0))
            remove = (img == 1) & (b >= 2) & (b <= 6) & (a == 1) & c
            if remove.any():
                img[remove] = 0
                changed = True
        if not changed:
            return img.astype(bool)


def nearest(mask, x, y):
    ys, xs = np.nonzero(mask)
    k = int(np.argmin((xs - x) ** 2 + (ys - y) ** 2))
    return int(ys[k]), int(xs[k])


def bfs(allowed, sources):
    """Multi-source BFS over `allowed` pixels: for each reached pixel, its source's index."""
    h, w = allowed.shape
    owner = -np.ones((h, w), np.int32)
    queue = deque()
    for k, (y, x) in enumerate(sources):
        owner[y, x] = k
        queue.append((y, x))
    while queue:
        y, x = queue.popleft()
        for dy, dx in STEPS:
            ny, nx = y + dy, x + dx
            if 0 <= ny < h and 0 <= nx < w and allowed[ny, nx] and owner[ny, nx] < 0:
                owner[ny, nx] = owner[y, x]
                queue.append((ny, nx))
    return owner


def path_between(skeleton, a, b):
    h, w = skeleton.shape
    prev = {a: None}
    queue = deque([a])
    while queue:
        p = queue.popleft()
        if p == b:
            break
        for dy, dx in STEPS:
            n = (p[0] + dy, p[1] + dx)
            if 0 <= n[0] < h and 0 <= n[1] < w and skeleton[n] and n not in prev:
                prev[n] = p
                queue.append(n)
    assert b in prev, "the two points are not on one skeleton piece"
    path, p = [], b
    while p is not None:
        path.append(p)
        p = prev[p]
    return path[::-1]


def main():
    stare, out = sys.argv[1], sys.argv[2]
    ah = read_png(os.path.join(stare, "labels-ah", f"{IMAGE}.ah.png"))[:, :, 0] >= 128
    vk = read_png(os.path.join(stare, "labels-vk", f"{IMAGE}.vk.png"))[:, :, 0] >= 128
    skeleton = thin(ah)
    skeleton_points = list(zip(*np.nonzero(skeleton)))
    owner = bfs(ah, skeleton_points)  # each vessel pixel -> its skeleton pixel
    start = ah.copy()
    fixes = []
    for a, b in MISSED:
        path = path_between(skeleton, nearest(skeleton, *a), nearest(skeleton, *b))
        on_path = np.zeros(len(skeleton_points), bool)
        index = {p: k for k, p in enumerate(skeleton_points)}
        on_path[[index[p] for p in path]] = True
        missing = ah & (owner >= 0) & on_path[np.maximum(owner, 0)]
        start &= ~missing
        ys, xs = np.nonzero(missing)
        length = float(sum(np.hypot(path[k][0] - path[k - 1][0], path[k][1] - path[k - 1][1]) for k in range(1, len(path))))
        fixes.append({"kind": "missed", "centreline": [[int(x), int(y)] for y, x in path], "length": round(length, 1),
                      "width": round(len(xs) / max(length, 1), 2), "pixels": [[int(x), int(y)] for x, y in zip(xs, ys)]})
    grown = ah.copy()
    for _ in range(3):
        p = np.pad(grown, 1)
        grown = grown | np.logical_or.reduce([p[1 + dy:1 + dy + ah.shape[0], 1 + dx:1 + dx + ah.shape[1]] for dy, dx in STEPS])
    for x0, y0, x1, y1 in FALSE:
        piece = np.zeros_like(ah)
        piece[y0:y1, x0:x1] = vk[y0:y1, x0:x1] & ~grown[y0:y1, x0:x1]
        start |= piece
        ys, xs = np.nonzero(piece)
        fixes.append({"kind": "false", "pixels": [[int(x), int(y)] for x, y in zip(xs, ys)]})
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "start.png"), "wb") as f:
        f.write(grey_png(start.astype(np.uint8) * 255))
    with open(os.path.join(out, "fixes.json"), "w") as f:
        json.dump({"image": IMAGE, "fixes": fixes}, f)
    for fix in fixes:
        print(fix["kind"], len(fix["pixels"]), "px", f"length {fix['length']} width {fix['width']}" if fix["kind"] == "missed" else "")


if __name__ == "__main__":
    main()
