import numpy as np, time, sys
from study import *
data = Data(sys.argv[1]); tap = sys.argv[2]; ratio=float(sys.argv[3])
ntr = data.ntrain
rng=np.random.default_rng(1); perm=rng.permutation(ntr); A,B=perm[:ntr//2],perm[ntr//2:]
F0, g = features(data, tap.split('+'), 3)
P = F0.shape[1]
for mode in sys.argv[4].split(','):
    if mode == 'l2': F = F0 / np.linalg.norm(F0, axis=2, keepdims=True).clip(1e-6)
    elif mode == 'sqrt': F = np.sqrt(np.maximum(F0, 0))
    elif mode == 'sqrtl2': F = np.sqrt(np.maximum(F0, 0)); F = F / np.linalg.norm(F, axis=2, keepdims=True).clip(1e-6)
    elif mode == 'center':  # per-image mean removed (illumination-ish)
        F = F0 - F0.mean(1, keepdims=True)
    else: F = F0
    F = np.ascontiguousarray(F, np.float32); D = F.shape[-1]
    def bank_of(idx):
        rows=F[idx].reshape(-1,D); return rows if ratio>=1 else rows[coreset(rows, ratio)]
    def score(bank, idx, chunk=64):
        bn=(bank*bank).sum(1); o=[]
        for s in range(0,len(idx),chunk):
            q=F[idx[s:s+chunk]].reshape(-1,D); o.append(nn_dist(q,bank,bn).reshape(-1,P))
        return np.concatenate(o)
    test = score(bank_of(np.arange(ntr)), np.arange(ntr, data.n))
    cross = np.empty((ntr, P), np.float32); cross[B] = score(bank_of(A), B); cross[A] = score(bank_of(B), A)
    mu = cross.mean(0)
    r1 = evaluate(data, test.max(1), maps_to_mask_res(test, g, 64)); r2 = evaluate(data, (test/mu).max(1), maps_to_mask_res(test/mu, g, 64))
    print(tap, mode, 'raw', r1['img'], r1['pix'], 'ratio', r2['img'], r2['pix'], dict((k[:5],v) for k,v in r1['per'].items()), flush=True)
