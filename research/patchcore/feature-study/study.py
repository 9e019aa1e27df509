"""Shared pieces of the feature study: dumped maps, patch features, coreset, nearest neighbour, metrics."""
import json
import numpy as np
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
    out = {'name': name, 'img': round(float(auroc(image_scores, data.labels)), 4)}
    per = {}
    for dft in sorted(set(data.defects) - {'good'}):
        sel = (data.defects == dft) | (data.defects == 'good')
        per[dft] = round(float(auroc(image_scores[sel], data.labels[sel])), 3)
    out['per'] = per
    if maps is not None:
        out['pix'] = round(float(auroc(maps.ravel(), data.masks.ravel())), 4)
    return out

def score_two_fold(data, F, ratio, extra_bank_views=None, chunk=64):
    """PatchCore distances of every test image (bank from all training images) and of every
    training image scored two-fold (bank from the other half): the "cross" scores that
    normalisations and ensembles standardise by. `F` is [images, patches, dims];
    `extra_bank_views(indices)` may add rows (e.g. flipped views) to a bank."""
    ntr = data.ntrain
    dims, patches = F.shape[-1], F.shape[1]
    half = np.random.default_rng(1).permutation(ntr)
    a, b = half[:ntr // 2], half[ntr // 2:]
    def bank_of(indices):
        parts = [F[indices]] + (extra_bank_views(indices) if extra_bank_views else [])
        rows = np.concatenate(parts).reshape(-1, dims)
        return rows if ratio >= 1 else rows[coreset(rows, ratio)]
    def score(bank, indices):
        norms = (bank * bank).sum(1)
        return np.concatenate([nn_dist(F[indices[s:s + chunk]].reshape(-1, dims), bank, norms).reshape(-1, patches)
                               for s in range(0, len(indices), chunk)])
    test = score(bank_of(np.arange(ntr)), np.arange(ntr, data.n))
    cross = np.empty((ntr, patches), np.float32)
    cross[b] = score(bank_of(a), b)
    cross[a] = score(bank_of(b), a)
    return test, cross

def report(data, test, cross, grid):
    """Image and pixel AUROC of raw distances and of distances divided by each cell's cross mean."""
    ratio = test / cross.mean(0)
    raw_result = evaluate(data, test.max(1), maps_to_mask_res(test, grid, data.meta['mask']))
    ratio_result = evaluate(data, ratio.max(1), maps_to_mask_res(ratio, grid, data.meta['mask']))
    per = {k[:5]: v for k, v in raw_result['per'].items()}
    return f"raw {raw_result['img']} / {raw_result['pix']}  ratio {ratio_result['img']} / {ratio_result['pix']}  per defect {per}"
