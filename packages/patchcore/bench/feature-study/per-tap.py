import numpy as np, time, sys
from study import *
data = Data(sys.argv[1]); out = sys.argv[2]; taps = sys.argv[3].split(','); ratio = float(sys.argv[4]) if len(sys.argv)>4 else 0.02
pool = int(sys.argv[5]) if len(sys.argv)>5 else 3
ntr = data.ntrain
rng=np.random.default_rng(1); perm=rng.permutation(ntr); A,B=perm[:ntr//2],perm[ntr//2:]
for t in taps:
    t0=time.time()
    F, g = features(data, t.split('+'), pool)
    D=F.shape[-1]; P=F.shape[1]
    def bank_of(idx):
        rows=F[idx].reshape(-1,D); return rows if ratio>=1 else rows[coreset(rows, ratio)]
    def score(bank, idx, chunk=64):
        bn=(bank*bank).sum(1); o=[]
        for s in range(0,len(idx),chunk):
            q=F[idx[s:s+chunk]].reshape(-1,D); o.append(nn_dist(q,bank,bn).reshape(-1,P))
        return np.concatenate(o)
    test = score(bank_of(np.arange(ntr)), np.arange(ntr, data.n))
    cross = np.empty((ntr, P), np.float32); cross[B] = score(bank_of(A), B); cross[A] = score(bank_of(B), A)
    np.savez(f'{out}/scores_{t}_r{ratio}_p{pool}.npz', test=test, cross=cross, grid=np.array(g))
    mu = cross.mean(0)
    print(t, g, round(time.time()-t0,1), evaluate(data, test.max(1), None, 'raw')['img'], evaluate(data, (test/mu).max(1), None, 'ratio'), flush=True)
