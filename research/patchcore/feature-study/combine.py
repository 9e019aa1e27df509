"""Combinations of per-tap scores saved by per-tap.py: per-position normalisation, tap and
resolution ensembles, and a whole-image k-NN term.
python3 combine.py <dump dir at 256> <dump dir at 192> [<dump dirs at other sizes>...]"""
import itertools, sys
import numpy as np
from study import Data, auroc, evaluate, maps_to_mask_res

dirs = sys.argv[1:]
data = Data(dirs[0]); ntr = data.ntrain

def load(folder, tap, ratio):
    z = np.load(f'{folder}/scores_{tap}_r{ratio}_p3.npz')
    return z['test'], z['cross'], tuple(z['grid'])

def image_z(test, cross):
    """Image scores (max patch) standardised by the cross-fitted training images' scores."""
    return (test.max(1) - cross.max(1).mean()) / cross.max(1).std()

# 1. Per-position normalisation: each grid cell's distance divided by its mean over the training images
#    (scored two-fold), or by the mean over 20 of them (what a fit's held-out images would give).
rng = np.random.default_rng(5)
for folder, tap, ratio in [(dirs[0], 'mixed2+mixed5', '0.02'), (dirs[1], 'mixed5', '0.1')]:
    try:
        test, cross, grid = load(folder, tap, ratio)
    except FileNotFoundError:
        continue
    for name, mu in [('none', np.ones(cross.shape[1])), ('mean of 200', cross.mean(0)), ('mean of 20', cross[rng.choice(ntr, 20, replace=False)].mean(0))]:
        r = evaluate(data, (test / mu).max(1), maps_to_mask_res(test / mu, grid, data.meta['mask']))
        print('position normalisation', folder, tap, name, 'image', r['img'], 'pixel', r['pix'])

# 2. Ensembles of taps and input sizes (image level, each member standardised).
members = {}
for folder in dirs[1:]:
    for tap in ['mixed5', 'mixed6']:
        try:
            test, cross, _ = load(folder, tap, '0.1')
        except FileNotFoundError:
            continue
        members[(folder, tap)] = image_z(test, cross)
for key, value in members.items():
    print('member', key, round(float(auroc(value, data.labels)), 4))
ranked = sorted(((round(float(auroc(np.mean([members[k] for k in combo], 0), data.labels)), 4), combo)
                 for n in (2, 3, 4) for combo in itertools.combinations(members, n)), reverse=True)
for score, combo in ranked[:5]:
    print('ensemble', score, combo)

# 3. Whole-image term: k-NN distance of the mean-pooled mixed6 map to the training images' vectors.
X = Data(dirs[1]).tap('mixed6').mean((2, 3))
train, test = X[:ntr], X[ntr:]
def nearest(q, ref, exclude_self=False):
    d = (q ** 2).sum(1)[:, None] - 2 * q @ ref.T + (ref ** 2).sum(1)[None]
    if exclude_self: np.fill_diagonal(d, np.inf)
    return np.sqrt(np.maximum(d.min(1), 0))
g_test, g_train = nearest(test, train), nearest(train, train, exclude_self=True)
G = (g_test - g_train.mean()) / g_train.std()
print('whole-image k-NN alone', round(float(auroc(G, data.labels)), 4))
P = members.get((dirs[1], 'mixed5'))
if P is not None:
    for w in (0.25, 0.5, 1.0):
        print('patch + whole-image', w, round(float(auroc(P + w * G, data.labels)), 4))
