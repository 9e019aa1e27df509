"""A linear "student": ridge regression from a lower tap's features (3 × 3 neighbourhood) to the
target tap's; the residual norm is the patch score (anomalies break a mapping learned on normal
patches). Scored alone and added to the PatchCore scores of per-tap.py (each standardised by its
two-fold training scores).
python3 linear-student.py <dump dir> <input taps,comma> <target tap> [ridge 0.01]"""
import sys
import numpy as np
from study import Data, features, report

data = Data(sys.argv[1]); sources = sys.argv[2].split(','); target = sys.argv[3]
ridge = float(sys.argv[4]) if len(sys.argv) > 4 else 0.01
Y, grid = features(data, [target], 3)
X, _ = features(data, sources, 3, grid=grid)
N, P, Dy = Y.shape; H, W = grid
padded = np.pad(X.reshape(N, H, W, -1), ((0, 0), (1, 1), (1, 1), (0, 0)), mode='edge')
X = np.concatenate([padded[:, i:i + H, j:j + W] for i in range(3) for j in range(3)], -1).reshape(N, P, -1)
Dx = X.shape[-1]; ntr = data.ntrain

def fit(indices):
    x = X[indices].reshape(-1, Dx).astype(np.float64); y = Y[indices].reshape(-1, Dy).astype(np.float64)
    mx, sx, my = x.mean(0), x.std(0) + 1e-6, y.mean(0)
    xs = (x - mx) / sx
    gram = xs.T @ xs; gram[np.diag_indices_from(gram)] += ridge * len(xs)
    return mx, sx, my, np.linalg.solve(gram, xs.T @ (y - my))

def residual(model, indices):
    mx, sx, my, B = model
    r = (Y[indices].reshape(-1, Dy) - my) - ((X[indices].reshape(-1, Dx) - mx) / sx) @ B
    return np.sqrt((r * r).sum(1)).reshape(len(indices), P).astype(np.float32)

half = np.random.default_rng(1).permutation(ntr); a, b = half[:ntr // 2], half[ntr // 2:]
test = residual(fit(np.arange(ntr)), np.arange(ntr, data.n))
cross = np.empty((ntr, P), np.float32)
cross[b] = residual(fit(a), b); cross[a] = residual(fit(b), a)
print('student alone', report(data, test, cross, grid))
try:
    knn = np.load(f'{sys.argv[1]}/scores_{target}_r0.1_p3.npz')
    z = lambda t, c: (t - c.mean()) / c.std()
    for weight in (0.25, 0.5, 1.0):
        fused = z(knn['test'], knn['cross']) + weight * z(test, cross)
        print('PatchCore + student ×', weight, report(data, fused, z(knn['cross'], knn['cross']) + weight * z(cross, cross), grid).split('  ratio')[0])
except FileNotFoundError:
    print(f'(run per-tap.py {sys.argv[1]} {sys.argv[1]} {target} 0.1 first for the fused scores)')
