"""Sixth round: a whole-image texture term. Each image's channel covariance (Gram matrix) of a tap,
projected to 64 channels, as a vector; its mean distance to the k nearest training Grams (normalised
by the training images' leave-one-out median) is added to the default member's image score and map.
python3 texture-term.py <dump dir> <members.npz of the default> <taps, e.g. mixed5 or mixed2,mixed5> <weights, e.g. 0.1,0.25> [k, default 1]"""
import sys
import numpy as np
from scipy import ndimage
from study import Data, auroc, evaluate, resize
data = Data(sys.argv[1]); members = np.load(sys.argv[2]); taps = sys.argv[3].split(','); ws = [float(x) for x in sys.argv[4].split(',')]
k = int(sys.argv[5]) if len(sys.argv) > 5 else 1
M = data.meta['mask']; ntr = data.ntrain
def grams(tap):
    X = data.tap(tap); N, C, H, W = X.shape
    R = np.random.default_rng(0).standard_normal((C, 64)).astype(np.float32) / 8
    F = np.einsum('nchw,cd->ndhw', X, R).reshape(N, 64, H * W)
    F = F - F.mean(2, keepdims=True)
    G = np.einsum('ndp,nep->nde', F, F) / (H * W)
    iu = np.triu_indices(64)
    g = G[:, iu[0], iu[1]]
    return np.sign(g) * np.sqrt(np.abs(g))
def knn(q, bank, k, exclude_self=False):
    d = (q * q).sum(1)[:, None] - 2 * q @ bank.T + (bank * bank).sum(1)[None]
    d = np.sqrt(np.maximum(d, 0))
    if exclude_self: np.fill_diagonal(d, np.inf)
    return np.sort(d, 1)[:, :k].mean(1)
term = 0
for tap in taps:
    g = grams(tap); mu, sd = g[:ntr].mean(0), g[:ntr].std(0) + 1e-6; g = (g - mu) / sd
    loo = knn(g[:ntr], g[:ntr], k, True); test = knn(g[ntr:], g[:ntr], k)
    term = term + test / np.median(loo)
    print(tap, 'term alone image AUROC', round(float(auroc(test, data.labels)), 4))
for seed in ['s0', 's1']:
    t = members[seed] + 0.5 * np.median(members[seed], 1)[:, None]; t = t / np.median(t)
    grid = tuple(members['grid'])
    bmap = resize(t.reshape(-1, 1, *grid).astype(np.float32), M, M)[:, 0]
    sigma = 4.0 * M / 256
    for w in ws:
        image = t.max(1) + w * term
        maps = ndimage.gaussian_filter(bmap, sigma=(0, sigma, sigma), truncate=4.0) + w * term[:, None, None]
        r = evaluate(data, image, maps)
        print(seed, w, f"image {r['img']:.4f} pixel {r['pix']:.4f}", r['per'], flush=True)
