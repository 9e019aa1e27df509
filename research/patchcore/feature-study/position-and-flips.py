"""The grid position appended to each patch feature (weights given), optionally with flipped
feature maps added to the bank. python3 position-and-flips.py <dump dir> <tap> <weights> <ratio> [flip]"""
import sys
import numpy as np
from study import Data, auroc, features, report, score_two_fold

data = Data(sys.argv[1]); tap = sys.argv[2]; weights = [float(x) for x in sys.argv[3].split(',')]
ratio = float(sys.argv[4]); flips = len(sys.argv) > 5 and sys.argv[5] == 'flip'
F0, grid = features(data, [tap], 3)
H, W = grid; patches = H * W
yy, xx = np.meshgrid(np.arange(H) / (H - 1), np.arange(W) / (W - 1), indexing='ij')
position = np.stack([yy.ravel(), xx.ravel()], 1).astype(np.float32)
spread = np.sqrt(F0[:data.ntrain].reshape(-1, F0.shape[-1]).var(0).sum())  # positions weighed against the features' spread
for weight in weights:
    def with_position(F):
        if weight == 0: return F
        return np.concatenate([F, np.broadcast_to(position * weight * spread, F.shape[:2] + (2,))], 2).astype(np.float32)
    def flipped_views(indices):
        maps = F0[indices].reshape(len(indices), H, W, -1)
        return [with_position(np.flip(maps, axis).reshape(len(indices), patches, -1)) for axis in (1, 2)]
    test, cross = score_two_fold(data, with_position(F0), ratio, flipped_views if flips else None)
    top3 = np.sort(test / cross.mean(0), 1)[:, -3:].mean(1)
    print(tap, 'position weight', weight, 'flips', flips, report(data, test, cross, grid), 'top-3 mean', round(float(auroc(top3, data.labels)), 4), flush=True)
