"""Exposure views in the bank: the training images' maps at other pixel gains (dumped with
`dump-features.mjs --gain g --out <dump dir>g<g>`) join the plain ones; test images stay plain.
python3 exposure.py <dump dir> <gains, e.g. 0.65,1.5> [fixed: keep the bank at 10 % of the plain rows]"""
import sys
import numpy as np
from study import Data, coreset, evaluate, features, maps_to_mask_res, nn_dist

base = sys.argv[1]; gains = sys.argv[2].split(','); fixed = 'fixed' in sys.argv[3:]
data = Data(base); ntr = data.ntrain
F, grid = features(data, ['mixed5'], 3); D = F.shape[-1]; P = F.shape[1]
views = [features(Data(f'{base}g{gain}'), ['mixed5'], 3)[0][:ntr] for gain in gains]
for name, parts in [('plain', [F[:ntr]]), (f'with gains {sys.argv[2]}', [F[:ntr], *views])]:
    rows = np.concatenate(parts).reshape(-1, D)
    for seed in range(2):
        bank = rows[coreset(rows, 0.1 / len(parts) if fixed else 0.1, seed=seed)]
        test = np.concatenate([nn_dist(F[s:s + 64].reshape(-1, D), bank).reshape(-1, P) for s in range(ntr, data.n, 64)])
        r = evaluate(data, test.max(1), maps_to_mask_res(test, grid, data.meta['mask']))
        print(name, 'bank', len(bank), 'seed', seed, 'image', r['img'], 'pixel', r['pix'], {k[:5]: v for k, v in r['per'].items()}, flush=True)
