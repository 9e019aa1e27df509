"""PatchCore scores per tap (or per `+`-joined set of taps, concatenated); saves test and cross scores.
python3 per-tap.py <dump dir> <out dir> <taps,comma,separated> [coreset ratio 0.02] [pool 3]"""
import sys, time
import numpy as np
from study import Data, features, report, score_two_fold

data = Data(sys.argv[1]); out = sys.argv[2]; taps = sys.argv[3].split(',')
ratio = float(sys.argv[4]) if len(sys.argv) > 4 else 0.02
pool = int(sys.argv[5]) if len(sys.argv) > 5 else 3
for tap in taps:
    started = time.time()
    F, grid = features(data, tap.split('+'), pool)
    test, cross = score_two_fold(data, F, ratio)
    np.savez(f'{out}/scores_{tap}_r{ratio}_p{pool}.npz', test=test, cross=cross, grid=np.array(grid))
    print(tap, grid, f'{time.time() - started:.0f} s', report(data, test, cross, grid), flush=True)
