"""Test-time exposure search and the image-median term (fourth round of the study).

Each test image is also scored at other pixel gains (dumps `<dump dir>g<gain>`, see exposure.py);
the views are combined per patch (smallest distance) or per image (the view with the smallest
max / median / mean patch distance), then `beta` × the image's median patch distance is added to
every patch. The bank is plain, or also holds the training images' views (`bank-views`).
python3 exposure-search.py <dump dir> <test gains, e.g. 0.65,1.5 or none> [bank-views] [seeds=2]
With `none`, only the median term is measured (e.g. on a `--match-mean` dump)."""
import sys
import numpy as np
from study import Data, coreset, evaluate, features, maps_to_mask_res, nn_dist

base = sys.argv[1]
gains = [] if sys.argv[2] == 'none' else sys.argv[2].split(',')
bank_views = 'bank-views' in sys.argv[3:]
seeds = int(next((a.split('=')[1] for a in sys.argv[3:] if a.startswith('seeds=')), 2))
data = Data(base); ntr = data.ntrain; mask = data.meta['mask']
F, grid = features(data, ['mixed5'], 3); D = F.shape[-1]; P = F.shape[1]
views = [features(Data(f'{base}g{gain}'), ['mixed5'], 3)[0] for gain in gains]
rows = np.concatenate([F[:ntr]] + ([v[:ntr] for v in views] if bank_views else [])).reshape(-1, D)

def choose(A, rule):
    if rule == 'patch-min': return A.min(0)
    stat = {'max': A.max(2), 'median': np.median(A, 2), 'mean': A.mean(2)}[rule]
    return A[stat.argmin(0), np.arange(A.shape[1])]

for seed in range(seeds):
    bank = rows[coreset(rows, 0.1, seed=seed)]; norms = (bank * bank).sum(1)
    score = lambda X: np.concatenate([nn_dist(X[s:s + 64].reshape(-1, D), bank, norms).reshape(-1, P) for s in range(ntr, data.n, 64)])
    A = np.stack([score(F)] + [score(v) for v in views])
    for rule in (['patch-min', 'max', 'median', 'mean'] if gains else ['max']):
        t = choose(A, rule)
        cells = []
        for beta in [0, 0.5, 1.0]:
            s = t + beta * np.median(t, 1)[:, None]
            r = evaluate(data, s.max(1), maps_to_mask_res(s, grid, mask))
            cells.append(f'beta {beta}: {r["img"]:.4f} / {r["pix"]:.4f}')
        print(f'seed {seed} views {rule:9s}', '   '.join(cells), flush=True)
