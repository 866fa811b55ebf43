#!/usr/bin/env python3
"""PyTorch side of the benchmark workloads W1-W4 (docs/performance.md), built exactly as
bench/Converge.Benchmarks/Workloads.cs builds them: the same data, the same initial weights drawn
from the shared SplitMix64 stream, the same minibatch order. Prints one JSON line per workload.

usage: pytorch_workloads.py W1|W1-raw|W2|W3|W4 [...]   (run from the repository root)
"""
import json
import statistics
import sys
import time

import numpy as np
import torch

torch.set_num_threads(2)
MASK = (1 << 64) - 1
REPEATS = 7


def splitmix64(seed, i):
    """Vectorized over the uint64 array i; arithmetic wraps mod 2^64."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed & MASK) + (i + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def uniform(seed, n):
    return (splitmix64(seed, np.arange(n, dtype=np.uint64)) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def normal(seed, n):
    u = uniform(seed, 2 * n)
    return (np.sqrt(-2.0 * np.log(1.0 - u[0::2])) * np.cos(2.0 * np.pi * u[1::2])).astype(np.float32)


def linear(inputs, outputs, seed, layer):
    module = torch.nn.Linear(inputs, outputs)
    bound = np.sqrt(inputs)
    with torch.no_grad():
        w = ((2 * uniform(seed + 2 * layer, inputs * outputs) - 1) / bound).astype(np.float32)
        b = ((2 * uniform(seed + 2 * layer + 1, outputs) - 1) / bound).astype(np.float32)
        module.weight.copy_(torch.from_numpy(w.reshape(outputs, inputs)))
        module.bias.copy_(torch.from_numpy(b))
    return module


def heart_rate(standardized):
    bpm = np.loadtxt("src/Converge/Data/Datasets/hr.11839.csv", delimiter=",", skiprows=1, dtype=np.float64)
    y = (bpm > 91.0).astype(np.float32).reshape(-1, 1)
    x = (bpm - bpm.mean()) / bpm.std(ddof=1) if standardized else bpm
    return torch.from_numpy(x.astype(np.float32).reshape(-1, 1)), torch.from_numpy(y)


def circles():
    data = np.loadtxt("tests/Converge.Tests/TestData/circles/circles-500.csv", delimiter=",", skiprows=1, dtype=np.float64)
    return torch.from_numpy(data[:, :2].astype(np.float32)), torch.from_numpy(data[:, 2:3].astype(np.float32))


def w3_data():
    rows, cols = 100_000, 32
    x = normal(1001, rows * cols).reshape(rows, cols)
    w1 = normal(1002, cols).astype(np.float64)
    w2 = normal(1003, cols).astype(np.float64)
    xd = x.astype(np.float64)
    f = np.zeros(rows)
    for j in range(cols):   # accumulated in double, term by term in j as in Workloads.cs
        f += w1[j] * xd[:, j] + 0.5 * w2[j] * xd[:, j] * xd[:, j]
    y = (f > np.median(f)).astype(np.float32).reshape(-1, 1)
    return torch.from_numpy(x), torch.from_numpy(y)


def w3_model():
    return torch.nn.Sequential(linear(32, 256, 31, 0), torch.nn.ReLU(), linear(256, 256, 31, 1), torch.nn.ReLU(), linear(256, 1, 31, 2))


def evaluate(model, criterion, x, y, probabilities):
    with torch.no_grad():
        out = model(x)
        loss = criterion(out, y).item()
        predicted = out > (0.5 if probabilities else 0.0)
        return loss, (predicted == (y > 0.5)).float().mean().item()


def full_batch(name):
    if name == "W2":
        x, y = circles()
        build = lambda: torch.nn.Sequential(linear(2, 4, 21, 0), torch.nn.Sigmoid(), linear(4, 1, 21, 1), torch.nn.Sigmoid())
        lr = 0.1
    else:
        x, y = heart_rate(name == "W1")
        build = lambda: torch.nn.Sequential(linear(1, 4, 11, 0), torch.nn.Sigmoid(), linear(4, 1, 11, 1), torch.nn.Sigmoid())
        lr = 0.01
    criterion = torch.nn.BCELoss()
    times = []
    for run in range(REPEATS + 1):   # run 0 warms up
        model = build()
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        start = time.perf_counter()
        for _ in range(1000):
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
        elapsed = time.perf_counter() - start
        if run > 0:
            times.append(elapsed / 1000 * 1e6)
    final_loss, accuracy = evaluate(model, criterion, x, y, probabilities=True)
    return {"us_per_step": round(statistics.median(times), 3), "us_per_step_min": round(min(times), 3),
            "us_per_step_max": round(max(times), 3), "steps": 1000, "runs": REPEATS,
            "final_loss": final_loss, "accuracy": accuracy, "last_step_loss": loss.item()}


def minibatch():
    x, y = w3_data()
    rows = x.shape[0]
    model = w3_model()
    criterion = torch.nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    epochs, loss_sum, steps = [], 0.0, 0
    for epoch in range(3):
        keys = splitmix64(4000 + epoch, np.arange(rows, dtype=np.uint64))
        order = torch.from_numpy(np.argsort(keys, kind="stable").astype(np.int64))
        start = time.perf_counter()
        for s in range(0, rows, 256):
            index = order[s:s + 256]
            xb, yb = x[index], y[index]
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item()   # the loss is read every step
            steps += 1
        epochs.append(time.perf_counter() - start)
    final_loss, accuracy = evaluate(model, criterion, x, y, probabilities=False)
    return {"s_per_epoch": round(sum(epochs) / len(epochs), 4), "s_per_epoch_median": round(statistics.median(epochs), 4),
            "epoch_seconds": "[" + " ".join(f"{t:.3f}" for t in epochs) + "]",
            "final_loss": final_loss, "accuracy": accuracy, "mean_step_loss": round(loss_sum / steps, 6)}


def inference():
    x, _ = w3_data()
    model = torch.nn.Sequential(w3_model(), torch.nn.Sigmoid()).eval()
    times, checksum = [], 0.0
    with torch.inference_mode():
        for i in range(10_000):   # warm-up
            model(x[i:i + 1])
        for i in range(10_000):
            row = x[i:i + 1]
            start = time.perf_counter_ns()
            p = model(row)
            times.append((time.perf_counter_ns() - start) / 1000)
            checksum += p.item()
        rates = []
        for _ in range(5):
            start = time.perf_counter()
            for s in range(0, x.shape[0], 4096):
                model(x[s:s + 4096])
            rates.append(x.shape[0] / (time.perf_counter() - start))
    times.sort()
    return {"single_row_us": round(statistics.median(times), 3), "single_row_us_p90": round(times[9000], 3),
            "batch_rows_per_s": round(statistics.median(rates)), "batch_rows_per_s_max": round(max(rates)),
            "mean_probability_first_10000": round(checksum / 10_000, 6)}


def main():
    for name in sys.argv[1:]:
        key = name.upper()
        if key in ("W1", "W1-RAW", "W2"):
            fields = full_batch(key)
        elif key == "W3":
            fields = minibatch()
        elif key == "W4":
            fields = inference()
        else:
            sys.exit(f"unknown workload {name!r}: use W1, W1-raw, W2, W3 or W4")
        print(json.dumps({"workload": name, "peer": f"pytorch {torch.__version__}", **fields}), flush=True)


if __name__ == "__main__":
    main()
