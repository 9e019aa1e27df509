import numpy as np, time, sys
from study import *
data = Data(sys.argv[1]); tap = sys.argv[2]; lams = [float(x) for x in sys.argv[3].split(',')]; ratio=float(sys.argv[4]); flips = len(sys.argv)>5 and sys.argv[5]=='flip'
ntr = data.ntrain
rng=np.random.default_rng(1); perm=rng.permutation(ntr); A,B=perm[:ntr//2],perm[ntr//2:]
F0, g = features(data, [tap], 3)
H, W = g; D0 = F0.shape[-1]; P = H*W
yy, xx = np.meshgrid(np.arange(H)/(H-1), np.arange(W)/(W-1), indexing='ij')
pos = np.stack([yy.ravel(), xx.ravel()], 1).astype(np.float32)
scale = np.sqrt((F0[:ntr].reshape(-1, D0).var(0)).sum())  # feature spread
def flipped(Fi, axis):
    x = Fi.reshape(len(Fi), H, W, -1)
    return np.flip(x, axis=axis).reshape(len(Fi), P, -1)
for lam in lams:
    t0=time.time()
    F = np.concatenate([F0, np.broadcast_to(pos * lam * scale, (len(F0), P, 2))], 2).astype(np.float32) if lam > 0 else F0
    D = F.shape[-1]
    def bank_of(idx):
        parts = [F[idx]]
        if flips:
            # flipped feature maps; positions stay as the grid's (the flipped image's own positions)
            for ax in (1, 2):
                fl = flipped(F0[idx], ax)
                if lam > 0: fl = np.concatenate([fl, np.broadcast_to(pos*lam*scale, fl.shape[:2]+(2,))], 2)
                parts.append(fl.astype(np.float32))
        rows = np.concatenate(parts).reshape(-1, D)
        return rows if ratio >= 1 else rows[coreset(rows, ratio)]
    def score(bank, idx, chunk=64):
        bn=(bank*bank).sum(1); o=[]
        for s in range(0,len(idx),chunk):
            q=F[idx[s:s+chunk]].reshape(-1,D); o.append(nn_dist(q,bank,bn).reshape(-1,P))
        return np.concatenate(o)
    test = score(bank_of(np.arange(ntr)), np.arange(ntr, data.n))
    cross = np.empty((ntr, P), np.float32); cross[B] = score(bank_of(A), B); cross[A] = score(bank_of(B), A)
    np.savez(f'{sys.argv[1]}/pos_{tap}_l{lam}_r{ratio}{"_flip" if flips else ""}.npz', test=test, cross=cross, grid=np.array(g))
    mu = cross.mean(0)
    r1 = evaluate(data, test.max(1), maps_to_mask_res(test, g, 64)); r2 = evaluate(data, (test/mu).max(1), maps_to_mask_res(test/mu, g, 64))
    top = np.sort(test/mu, 1)[:, -3:].mean(1)
    print(tap, 'lam', lam, 'flip', flips, round(time.time()-t0,1), 'raw', r1['img'], r1['pix'], 'ratio', r2['img'], r2['pix'], 'top3', round(float(auroc(top, data.labels)),4), dict((k[:5],v) for k,v in r2['per'].items()), flush=True)
