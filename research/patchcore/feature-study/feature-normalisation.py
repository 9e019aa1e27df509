"""Patch features normalised before the search.
python3 feature-normalisation.py <dump dir> <tap> <ratio> none,l2,sqrt,sqrtl2,center"""
import sys
import numpy as np
from study import Data, features, report, score_two_fold

data = Data(sys.argv[1]); tap = sys.argv[2]; ratio = float(sys.argv[3])
F0, grid = features(data, tap.split('+'), 3)
l2 = lambda F: F / np.linalg.norm(F, axis=2, keepdims=True).clip(1e-6)
modes = {
    'none': lambda F: F,
    'l2': l2,
    'sqrt': lambda F: np.sqrt(np.maximum(F, 0)),
    'sqrtl2': lambda F: l2(np.sqrt(np.maximum(F, 0))),
    'center': lambda F: F - F.mean(1, keepdims=True),  # each image's mean feature removed (lighting)
}
for mode in sys.argv[4].split(','):
    F = np.ascontiguousarray(modes[mode](F0), np.float32)
    test, cross = score_two_fold(data, F, ratio)
    print(tap, mode, report(data, test, cross, grid), flush=True)
