"""SPADE-style retrieval: each test image's bank = all patches of its K nearest training images (whole-image vectors)."""
import sys
import numpy as np
from study import Data, auroc, evaluate, features, maps_to_mask_res, nn_dist

data = Data(sys.argv[1] if len(sys.argv) > 1 else 'mt192'); ntr = data.ntrain
F, grid = features(data, ['mixed5'], 3); D = F.shape[-1]; P = F.shape[1]
for gtap in ['mixed5', 'mixed6']:
    X = data.tap(gtap).mean((2, 3)); X = X / np.linalg.norm(X, axis=1, keepdims=True)
    sim = X[ntr:] @ X[:ntr].T
    for K in [5, 10, 25, 50, 200]:
        nearest = np.argsort(-sim, 1)[:, :K]
        te = np.stack([nn_dist(F[ntr + i], F[nearest[i]].reshape(-1, D)) for i in range(data.n - ntr)])
        r = evaluate(data, te.max(1), maps_to_mask_res(te, grid, data.meta['mask']))
        print('retrieval by', gtap, 'K', K, r['img'], r['pix'], {k[:5]: v for k, v in r['per'].items()}, flush=True)
