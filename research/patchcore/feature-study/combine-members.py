"""Averages members from score-members.py (each + beta × its image median, divided by its median
patch score so grids and detectors weigh alike), and prints image / pixel AUROC per seed and mean.
python3 combine-members.py <dump dir> <beta> <members.npz[:weight]>..."""
import sys
import numpy as np
from scipy import ndimage
from study import Data, evaluate, resize

data = Data(sys.argv[1]); beta = float(sys.argv[2]); M = data.meta['mask']
members = []
for arg in sys.argv[3:]:
    file, weight = (arg.split(':') + ['1'])[:2]
    z = np.load(file); members.append((z, float(weight), tuple(z['grid'])))
seeds = sorted(set.intersection(*[{k for k in z.files if k.startswith('s')} for z, _, _ in members]))
results = []
for seed in seeds:
    maps, image = 0, 0
    for z, weight, grid in members:
        t = z[seed] + beta * np.median(z[seed], 1)[:, None]
        t = t / np.median(t)
        image = image + weight * t.max(1)
        maps = maps + weight * resize(t.reshape(-1, 1, *grid).astype(np.float32), M, M)[:, 0]
    sigma = 4.0 * M / 256
    r = evaluate(data, image, ndimage.gaussian_filter(maps, sigma=(0, sigma, sigma), truncate=4.0))
    results.append((r['img'], r['pix']))
    print(seed, f"image {r['img']:.4f} pixel {r['pix']:.4f}", r['per'], flush=True)
print('mean image / pixel', ' / '.join(f'{x:.4f}' for x in np.mean(results, 0)))
