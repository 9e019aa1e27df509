"""Training images brought to their best-fitting exposure before the bank is selected (fifth round):
two-fold, each half's views (plain and `<dump dir>g<gain>`) are scored against a bank of the other
half and keep the view with the smallest median distance; the bank is then selected from the chosen
views and test images are scored with the usual exposure search, + beta × median (0 and 0.5).
python3 canonical-exposure.py <dump dir> <gains, e.g. 0.65,1.5> [seeds=2]"""
import sys
import numpy as np
from study import Data, coreset, evaluate, features, maps_to_mask_res, nn_dist

base = sys.argv[1]; gains = sys.argv[2].split(',')
seeds = int(next((a.split('=')[1] for a in sys.argv[3:] if a.startswith('seeds=')), 2))
data = Data(base); ntr = data.ntrain
F, grid = features(data, ['mixed5'], 3); D = F.shape[-1]; P = F.shape[1]
V = np.stack([F] + [features(Data(f'{base}g{gain}'), ['mixed5'], 3)[0] for gain in gains])  # views × images × patches × dims

def distances(bank, X):
    norms = (bank * bank).sum(1)
    return np.concatenate([nn_dist(X[s:s + 64].reshape(-1, D), bank, norms).reshape(-1, P) for s in range(0, len(X), 64)])

def select(rows, seed):
    return rows[coreset(rows, 0.1, seed=seed)]

half = np.random.default_rng(1).permutation(ntr); first, second = half[:ntr // 2], half[ntr // 2:]
for seed in range(seeds):
    choice = np.zeros(ntr, int)
    for scored, banked in ((first, second), (second, first)):
        bank = select(F[banked].reshape(-1, D), seed)
        medians = np.stack([np.median(distances(bank, V[view, scored]), 1) for view in range(len(V))])
        choice[scored] = medians.argmin(0)
    print('seed', seed, 'training images per view (plain, gains…):', np.bincount(choice, minlength=len(V)).tolist(), flush=True)
    bank = select(V[choice, np.arange(ntr)].reshape(-1, D), seed)
    T = np.stack([distances(bank, V[view, ntr:]) for view in range(len(V))])
    t = T[np.median(T, 2).argmin(0), np.arange(T.shape[1])]
    for beta in (0, 0.5):
        s = t + beta * np.median(t, 1)[:, None]
        r = evaluate(data, s.max(1), maps_to_mask_res(s, grid, data.meta['mask']))
        print(f'seed {seed} beta {beta}: {r["img"]:.4f} / {r["pix"]:.4f}', r['per'], flush=True)
