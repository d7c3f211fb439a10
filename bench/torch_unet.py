#!/usr/bin/python3
"""The Loupe UNet in PyTorch, for a side-by-side speed check against `loupe bench`.

Same architecture as LoupeVision's UNet: per level two 3x3 conv (padding 1) + ReLU, 2x2 max-pool,
bottleneck block, 2x2 transposed conv (stride 2) up, concat [skip, up], block, 1x1 conv;
loss BCE-with-logits + soft Dice over the batch; Adam lr 1e-3.

  /usr/bin/python3 bench/torch_unet.py train [--batch-size 8 --size 128 --batches 30]
  /usr/bin/python3 bench/torch_unet.py infer [--width 700 --height 605 --runs 10]
"""
import argparse
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, channels=(16, 32, 64), bottleneck=128, inputs=1):
        super().__init__()
        self.encoder = nn.ModuleList()
        width = inputs
        for c in channels:
            self.encoder.append(block(width, c))
            width = c
        self.bottleneck = block(width, bottleneck)
        self.ups = nn.ModuleList()
        self.decoder = nn.ModuleList()
        width = bottleneck
        for c in reversed(channels):
            self.ups.append(nn.ConvTranspose2d(width, c, 2, stride=2))
            self.decoder.append(block(2 * c, c))
            width = c
        self.head = nn.Conv2d(width, 1, 1)

    def forward(self, x):
        skips = []
        for level in self.encoder:
            x = level(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.bottleneck(x)
        for up, level, skip in zip(self.ups, self.decoder, reversed(skips)):
            x = level(torch.cat([skip, up(x)], dim=1))
        return self.head(x)


def loss_fn(logits, target):
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    dice = (2 * (p * target).sum() + 1) / (p.sum() + target.sum() + 1)
    return bce + 1 - dice


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_train(args):
    model = UNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(args.batch_size, 1, args.size, args.size)
    y = (torch.rand(args.batch_size, 1, args.size, args.size) < 0.1).float()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    for _ in range(args.batches):
        step()
    seconds = time.perf_counter() - start
    print(f"torch train: {args.batches * args.batch_size / seconds:.1f} crops/s (batch {args.batch_size} of "
          f"{args.size}x{args.size}, {args.batches} batches in {seconds:.2f}s, {torch.get_num_threads()} threads), "
          f"peak RSS {peak_rss_mib():.0f} MiB")


def bench_infer(args):
    model = UNet().eval()
    # Padded to the network's multiple of 8, as Loupe does.
    h, w = (args.height + 7) // 8 * 8, (args.width + 7) // 8 * 8
    x = torch.rand(1, 1, h, w)
    times = []
    with torch.no_grad():
        torch.sigmoid(model(x))
        for _ in range(args.runs):
            start = time.perf_counter()
            torch.sigmoid(model(x))
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"torch infer: median {times[len(times) // 2]:.1f} ms, min {times[0]:.1f} ms ({args.width}x{args.height}, "
          f"{args.runs} runs, {torch.get_num_threads()} threads), peak RSS {peak_rss_mib():.0f} MiB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["train", "infer"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--width", type=int, default=700)
    parser.add_argument("--height", type=int, default=605)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    bench_train(args) if args.mode == "train" else bench_infer(args)


if __name__ == "__main__":
    main()
