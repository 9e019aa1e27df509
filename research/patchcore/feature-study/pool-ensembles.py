"""Ensembles of local-pooling sizes from one tap: each pooled map is scaled by its training patches'
spread, one coreset is selected on the concatenated rows, and a patch's score is the sum of its
per-pool nearest-neighbour distances (each pool searched on its own columns). Four coreset seeds;
the margin is (lowest defect image score − highest good one) / highest good one.
python3 pool-ensembles.py <dump dir> <tap> <pools, e.g. 3 1,5 1,3,5>..."""
import sys
import numpy as np
from study import Data, auroc, coreset, features, maps_to_mask_res, nn_dist

data = Data(sys.argv[1]); tap = sys.argv[2]; ntr = data.ntrain
for spec in sys.argv[3:]:
    parts = []
    for pool in map(int, spec.split(',')):
        F, grid = features(data, [tap], pool)
        train = F[:ntr].reshape(-1, F.shape[-1])
        parts.append(F / np.sqrt(((train - train.mean(0)) ** 2).sum(1).mean()))
    D = parts[0].shape[-1]; P = parts[0].shape[1]
    rows = np.concatenate([part[:ntr].reshape(-1, D) for part in parts], 1)
    for seed in range(4):
        selected = coreset(rows, 0.1, seed=seed)
        test = sum(np.concatenate([nn_dist(part[s:s + 64].reshape(-1, D), part[:ntr].reshape(-1, D)[selected]).reshape(-1, P)
                                   for s in range(ntr, data.n, 64)]) for part in parts)
        image = test.max(1); good, defect = image[data.labels == 0], image[data.labels == 1]
        pixel = auroc(maps_to_mask_res(test, grid, data.meta['mask']).ravel(), data.masks.ravel())
        print(f'pools {spec} seed {seed}: image {auroc(image, data.labels):.4f} pixel {pixel:.4f} margin {(defect.min() - good.max()) / good.max():+.3f}', flush=True)
