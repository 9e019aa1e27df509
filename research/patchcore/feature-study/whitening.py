import sys
import numpy as np
from study import Data, auroc, coreset, evaluate, features, maps_to_mask_res, nn_dist
data = Data(sys.argv[1] if len(sys.argv) > 1 else 'mt192'); ntr = data.ntrain
F, g = features(data, ['mixed5'], 3); D = F.shape[-1]; P = F.shape[1]
tr = F[:ntr].reshape(-1, D)
mu = tr.mean(0); C = np.cov((tr - mu).T)
w, V = np.linalg.eigh(C)
for shrink in [0.01, 0.1, 0.5]:
  for keep in [None]:
    lam = w + shrink * w.mean()
    W = (V / np.sqrt(lam)).astype(np.float32)
    G = ((F - mu) @ W).astype(np.float32)
    rows = G[:ntr].reshape(-1, D); bank = rows[coreset(rows, 0.1)]; bn = (bank*bank).sum(1)
    te = np.concatenate([nn_dist(G[s:min(s+64, data.n)].reshape(-1, D), bank, bn).reshape(-1, P) for s in range(ntr, data.n, 64)])
    r = evaluate(data, te.max(1), maps_to_mask_res(te, g, 64))
    print('whiten shrink', shrink, r['img'], r['pix'], dict((k[:5], v) for k, v in r['per'].items()), flush=True)
# Mahalanobis-to-mean (global Gaussian), no NN
lam = w + 0.01 * w.mean(); W = (V / np.sqrt(lam)).astype(np.float32)
Z = ((F[ntr:] - mu) @ W); m = np.sqrt((Z**2).sum(-1))
r = evaluate(data, m.max(1), maps_to_mask_res(m, g, 64)); print('global gaussian', r['img'], r['pix'])
