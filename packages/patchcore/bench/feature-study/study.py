import json, numpy as np, time, sys
from scipy import ndimage
from scipy.stats import rankdata

class Data:
    def __init__(self, d):
        self.d = d
        self.meta = json.load(open(f'{d}/meta.json'))
        self.n = len(self.meta['files'])
        self.ntrain = self.meta['train']
        self.defects = np.array(self.meta['test'])
        self.labels = (self.defects != 'good').astype(np.uint8)
        M = self.meta['mask']
        self.masks = np.fromfile(f'{d}/masks.u8', dtype=np.uint8).reshape(-1, M, M)
        self.cache = {}
    def tap(self, name):
        if name not in self.cache:
            shp = self.meta['shapes'][name]
            self.cache[name] = np.fromfile(f'{self.d}/{name}.f32', dtype=np.float32).reshape(self.n, *shp)
        return self.cache[name]

def avgpool(x, k):
    if k <= 1: return x
    # x [N,C,H,W], stride 1, count_include_pad=False
    s = ndimage.uniform_filter(x, size=(1, 1, k, k), mode='constant', cval=0.0)
    ones = np.ones(x.shape[2:], np.float32)
    c = ndimage.uniform_filter(ones, size=k, mode='constant', cval=0.0)
    return s / c

def interp_matrix(n_in, n_out):
    # bilinear half-pixel (align_corners=False), clamped
    A = np.zeros((n_out, n_in), np.float32)
    scale = n_in / n_out
    for i in range(n_out):
        x = (i + 0.5) * scale - 0.5
        x = min(max(x, 0), n_in - 1)
        x0 = int(np.floor(x)); x1 = min(x0 + 1, n_in - 1); w = x - x0
        A[i, x0] += 1 - w; A[i, x1] += w
    return A

def resize(x, H, W):
    if x.shape[-2:] == (H, W): return x
    Ah = interp_matrix(x.shape[-2], H); Aw = interp_matrix(x.shape[-1], W)
    return np.einsum('hi,nciw,jw->nchj', Ah, x, Aw, optimize=True).astype(np.float32)

def features(data, taps, pool=3, weights=None, grid=None, idx=None):
    maps = []
    for i, t in enumerate(taps):
        x = data.tap(t)
        if idx is not None: x = x[idx]
        x = avgpool(np.asarray(x, np.float32), pool)
        if grid is None: grid = x.shape[-2:]
        x = resize(x, *grid)
        if weights is not None: x = x * weights[i]
        maps.append(x)
    f = np.concatenate(maps, axis=1)  # N, D, H, W
    N, D, H, W = f.shape
    return np.ascontiguousarray(f.transpose(0, 2, 3, 1).reshape(N, H * W, D)), (H, W)

def coreset(rows, ratio, proj=128, seed=0):
    n = rows.shape[0]; k = max(1, int(round(n * ratio)))
    rng = np.random.default_rng(seed)
    P = rng.standard_normal((rows.shape[1], proj)).astype(np.float32) / np.sqrt(proj)
    z = rows @ P
    zn = (z * z).sum(1)
    sel = [int(rng.integers(n))]
    dmin = zn - 2 * z @ z[sel[0]] + zn[sel[0]]
    for _ in range(k - 1):
        j = int(np.argmax(dmin)); sel.append(j)
        d = zn - 2 * z @ z[j] + zn[j]
        np.minimum(dmin, d, out=dmin)
    return np.array(sel)

def nn_dist(q, bank, bn=None, k=1):
    # q [P,D], bank [B,D]
    if bn is None: bn = (bank * bank).sum(1)
    d = (q * q).sum(1)[:, None] - 2 * q @ bank.T + bn[None, :]
    if k == 1:
        return np.sqrt(np.maximum(d.min(1), 0))
    part = np.partition(d, k - 1, axis=1)[:, :k]
    return np.sqrt(np.maximum(np.sort(part, 1), 0))

def auroc(scores, labels):
    labels = np.asarray(labels).astype(bool)
    r = rankdata(scores)
    npos = labels.sum(); nneg = len(labels) - npos
    return (r[labels].sum() - npos * (npos + 1) / 2) / (npos * nneg)

def maps_to_mask_res(patch_scores, grid, M, sigma_at256=4.0):
    # patch_scores [N, H*W] -> [N, M, M] bilinear + gaussian
    N = patch_scores.shape[0]
    x = patch_scores.reshape(N, 1, *grid).astype(np.float32)
    x = resize(x, M, M)[:, 0]
    s = sigma_at256 * M / 256
    return ndimage.gaussian_filter(x, sigma=(0, s, s), truncate=4.0)

def evaluate(data, image_scores, maps=None, name=''):
    te = slice(data.ntrain, data.n)
    out = {'name': name, 'img': round(float(auroc(image_scores, data.labels)), 4)}
    per = {}
    for dft in sorted(set(data.defects) - {'good'}):
        sel = (data.defects == dft) | (data.defects == 'good')
        per[dft] = round(float(auroc(image_scores[sel], data.labels[sel])), 3)
    out['per'] = per
    if maps is not None:
        out['pix'] = round(float(auroc(maps.ravel(), data.masks.ravel())), 4)
    return out

def patchcore_scores(data, taps, pool=3, ratio=0.02, proj=128, weights=None, grid=None, k=1, bank_idx=None, chunk=32, train_rows=None):
    ntr = data.ntrain
    tr, g = features(data, taps, pool, weights, grid, idx=np.arange(ntr))
    D = tr.shape[-1]
    tr = tr.reshape(-1, D)
    if ratio < 1:
        sel = coreset(tr, ratio, proj)
        bank = tr[sel]
    else:
        bank = tr
    del tr
    bn = (bank * bank).sum(1)
    scores = []
    for s in range(ntr, data.n, chunk):
        idx = np.arange(s, min(s + chunk, data.n))
        te, _ = features(data, taps, pool, weights, grid, idx=idx)
        Q = te.reshape(-1, D)
        d = nn_dist(Q, bank, bn, k)
        if k > 1: d = d[:, 0]
        scores.append(d.reshape(len(idx), -1))
    return np.concatenate(scores), g, bank
