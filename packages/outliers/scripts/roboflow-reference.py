"""Reference outputs of Roboflow's identify_outliers@v1 and identify_changes@v1 semantics.

An independent NumPy rewrite of the math of roboflow/inference
(inference/core/workflows/core_steps/sampling/identify_{outliers,changes}/v1.py), written from its
description: unit-normalise; outliers: window incl. the current sample, mu = sum/|sum|,
percentile = searchsorted-left rank / n, flagged outside [t, 1 - t]; changes: running averages and
cosine-similarity statistics by EMA / SMA (count = samples + 1) / sliding window, z-score,
percentile = 1 - Phi(z), flagged outside (t/2, 1 - t/2).

Writes src/__fixtures__/roboflow-reference.json, which src/roboflow-reference.test.ts compares with.
Run: python3 scripts/roboflow-reference.py   (NumPy only)
"""
import json
import math
import os

import numpy as np


def stream(seed, frames, dimension):
    rng = np.random.default_rng(seed)
    base = rng.normal(size=dimension)
    out = []
    for i in range(frames):
        e = base + 0.35 * rng.normal(size=dimension)
        if i % 17 == 11:  # an unusual frame now and then
            e = rng.normal(size=dimension)
        if i == 40:  # a lasting change of scene
            base = rng.normal(size=dimension)
        out.append(e.astype(np.float32).astype(np.float64))
    return out


def identify_outliers(embeddings, threshold, warmup, window):
    kept, results, samples = [], [], 0
    for e in embeddings:
        e = e / np.linalg.norm(e)
        samples += 1
        kept.append(e)
        if window is not None and len(kept) > window:
            kept.pop(0)
        if samples < warmup:
            results.append({"is_outlier": False, "percentile": 0.5, "warming_up": True})
            continue
        matrix = np.array(kept)
        total = matrix.sum(axis=0)
        length = np.linalg.norm(total)
        mu = e if (len(kept) < 2 or length == 0) else total / length
        t = matrix @ mu
        rank = int(np.searchsorted(np.sort(t), t[-1], side="left"))
        p = rank / len(t)
        results.append({"is_outlier": bool(p < threshold or p > 1 - threshold), "percentile": p, "warming_up": False})
    return results


def identify_changes(embeddings, strategy, threshold, warmup, alpha, window):
    average = var = m2 = None
    ring, cs_ring = [], []
    cs_mean = cs_var = cs_m2 = cs_std = None
    samples, results = 0, []
    for e in embeddings:
        e = e / np.linalg.norm(e)
        p, z = 0.5, 0.0
        if average is not None:
            cs = float(np.dot(e, average) / (np.linalg.norm(e) * np.linalg.norm(average)))
            if cs_mean is None:
                cs_mean, cs_var, cs_m2, cs_std = cs, 0.0, 0.0, 0.0
            elif strategy == "EMA":
                cs_mean = (1 - alpha) * cs_mean + alpha * cs
                cs_var = (1 - alpha) * cs_var + alpha * (cs - cs_mean) ** 2
                cs_std = math.sqrt(cs_var)
            elif strategy == "SMA":
                count = samples + 1
                delta = cs - cs_mean
                cs_mean = cs / count + cs_mean * samples / count
                cs_m2 = cs_m2 + delta * (cs - cs_mean)
                cs_std = math.sqrt(cs_m2 / (count - 1))
            else:
                cs_ring.append(cs)
                if len(cs_ring) > window:
                    cs_ring.pop(0)
                cs_mean, cs_std = float(np.mean(cs_ring)), float(np.std(cs_ring))
            if cs_std == 0:
                z = 0.0 if cs == cs_mean else math.copysign(math.inf, cs - cs_mean)  # Roboflow: NaN / inf
                p = 0.5 if cs == cs_mean else 1 - 0.5 * (1 + math.erf(z / math.sqrt(2)))
            else:
                z = (cs - cs_mean) / cs_std
                p = 1 - 0.5 * (1 + math.erf(z / math.sqrt(2)))
        warming = samples < warmup
        flagged = (not warming) and (p <= threshold / 2 or p >= 1 - threshold / 2)
        if average is None:
            average, var, m2 = e.copy(), np.zeros_like(e), np.zeros_like(e)
            std = np.zeros_like(e)
        elif strategy == "EMA":
            average = (1 - alpha) * average + alpha * e
            var = (1 - alpha) * var + alpha * (e - average) ** 2
            std = np.sqrt(var)
        elif strategy == "SMA":
            count = samples + 1
            delta = e - average
            average = average + delta / count
            m2 = m2 + delta * (e - average)
            std = np.sqrt(m2 / (count - 1))
        else:
            ring.append(e)
            if len(ring) > window:
                ring.pop(0)
            average, std = np.mean(ring, axis=0), np.std(ring, axis=0)
        samples += 1
        keep_vectors = samples % 10 == 9  # average and std of every 10th frame keep the fixture small
        results.append({"is_outlier": bool(flagged), "percentile": p, "z_score": z, "average": average.tolist() if keep_vectors else None, "std": std.tolist() if keep_vectors else None, "warming_up": bool(warming)})
    return results


embeddings = stream(seed=3, frames=80, dimension=12)
fixture = {"embeddings": [e.tolist() for e in embeddings], "outliers": [], "changes": []}
for warmup, window in [(3, 32), (3, 5), (10, 8), (1, None)]:
    fixture["outliers"].append({"warmup": warmup, "window_size": window, "threshold": 0.1, "results": identify_outliers(embeddings, 0.1, warmup, window)})
for strategy, name in [("EMA", "Exponential Moving Average (EMA)"), ("SMA", "Simple Moving Average (SMA)"), ("WINDOW", "Sliding Window")]:
    fixture["changes"].append({"strategy": name, "threshold": 0.2, "warmup": 3, "smoothing_factor": 0.25, "window_size": 6, "results": identify_changes(embeddings, strategy, 0.2, 3, 0.25, 6)})

target = os.path.join(os.path.dirname(__file__), "..", "src", "__fixtures__", "roboflow-reference.json")
with open(target, "w") as handle:
    json.dump(fixture, handle, allow_nan=False)
print("wrote", os.path.normpath(target))
