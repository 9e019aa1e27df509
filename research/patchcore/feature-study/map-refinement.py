"""Sixth round: a sharper member for localisation only. The default member keeps the image score; its map
gets lam × (the sharper member's map minus that image's median), each member divided by its global
median patch score — the second map adds where inside an image, not how anomalous the image is.
python3 map-refinement.py <dump dir> <default members.npz> <sharper members.npz> <lams, e.g. 0,0.25,0.5>"""
import sys
import numpy as np
from scipy import ndimage
from study import Data, evaluate, resize
data = Data(sys.argv[1]); M = data.meta['mask']
base = np.load(sys.argv[2]); fine = np.load(sys.argv[3]); lams = [float(x) for x in sys.argv[4].split(',')]
gb, gf = tuple(base['grid']), tuple(fine['grid'])
for seed in ['s0', 's1']:
    t = base[seed] + 0.5 * np.median(base[seed], 1)[:, None]; t = t / np.median(t)
    f = fine[seed]; f = f / np.median(f)
    rel = f - np.median(f, 1)[:, None]
    image = t.max(1)
    bmap = resize(t.reshape(-1, 1, *gb).astype(np.float32), M, M)[:, 0]
    fmap = resize(rel.reshape(-1, 1, *gf).astype(np.float32), M, M)[:, 0]
    sigma = 4.0 * M / 256
    for lam in lams:
        r = evaluate(data, image, ndimage.gaussian_filter(bmap + lam * fmap, sigma=(0, sigma, sigma), truncate=4.0))
        print(seed, lam, f"image {r['img']:.4f} pixel {r['pix']:.4f}", flush=True)
