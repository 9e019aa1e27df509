"""Ensemble members for the fifth round: each test image's patch scores as the default scores them
(exposure search: the view with the smallest median distance), saved for combine-members.py.
python3 score-members.py <dump dir> <test gains, e.g. 0.65,1.5 or none> [tap=mixed5] [seeds=4] [ratio=0.1] [pool=3] [padim]
With `padim` the member is PaDiM's per-position Mahalanobis distance (128 random channels, one view)."""
import sys
import numpy as np
from study import Data, coreset, features, nn_dist

base = sys.argv[1]
gains = [] if sys.argv[2] == 'none' else sys.argv[2].split(',')
option = lambda name, default: next((a.split('=')[1] for a in sys.argv[3:] if a.startswith(f'{name}=')), default)
tap, seeds, ratio, pool, padim = option('tap', 'mixed5'), int(option('seeds', 4)), float(option('ratio', 0.1)), int(option('pool', 3)), 'padim' in sys.argv[3:]
data = Data(base); ntr = data.ntrain
F, grid = features(data, tap.split('+'), pool); D = F.shape[-1]; P = F.shape[1]
views = [F] + [features(Data(f'{base}g{gain}'), tap.split('+'), pool)[0] for gain in gains]
out = {}
for seed in range(seeds):
    if padim:
        channels = np.random.default_rng(seed).choice(D, 128, replace=False)
        X = F[:, :, channels].astype(np.float64); mean = X[:ntr].mean(0)
        t = np.empty((data.n - ntr, P), np.float32)
        for p in range(P):
            inverse = np.linalg.inv(np.cov(X[:ntr, p].T) + 0.01 * np.eye(128))
            d = X[ntr:, p] - mean[p]
            t[:, p] = np.sqrt(np.einsum('nd,de,ne->n', d, inverse, d))
    else:
        rows = F[:ntr].reshape(-1, D)
        bank = rows[coreset(rows, ratio, seed=seed)]; norms = (bank * bank).sum(1)
        A = np.stack([np.concatenate([nn_dist(v[s:s + 64].reshape(-1, D), bank, norms).reshape(-1, P) for s in range(ntr, data.n, 64)]) for v in views])
        t = A[np.median(A, 2).argmin(0), np.arange(A.shape[1])]
    out[f's{seed}'] = t
    print(base, tap, 'seed', seed, flush=True)
name = f'members-{base.rstrip("/").split("/")[-1]}-{tap}{"" if pool == 3 else f"-pool{pool}"}-{"padim" if padim else sys.argv[2]}.npz'
np.savez(name, grid=np.array(grid), **out)
print('wrote', name)
