"""Test-time flips: each test image also scored mirrored, the two maps averaged; with and without
mirrored training images in the bank. python3 test-time-flips.py <dump dir> <mirrored dump dir>"""
import sys
import numpy as np
from study import Data, coreset, evaluate, features, maps_to_mask_res, nn_dist

data = Data(sys.argv[1]); flip = Data(sys.argv[2]); ntr = data.ntrain
F, g = features(data, ['mixed5'], 3); Ff, _ = features(flip, ['mixed5'], 3); D = F.shape[-1]; H, W = g
rows = F[:ntr].reshape(-1, D)
for with_flipped_bank in [False, True]:
    bankrows = np.concatenate([rows, Ff[:ntr].reshape(-1, D)]) if with_flipped_bank else rows
    bank = bankrows[coreset(bankrows, 0.1)]; bn = (bank*bank).sum(1)
    te = np.stack([nn_dist(F[i], bank, bn) for i in range(ntr, data.n)])
    tf = np.stack([nn_dist(Ff[i], bank, bn) for i in range(ntr, data.n)])
    tf_back = tf.reshape(-1, H, W)[:, :, ::-1].reshape(len(tf), -1)  # flipped map back to the image's orientation
    avg = (te + tf_back) / 2
    for name, m in [('plain', te), ('tta mean', avg)]:
        r = evaluate(data, m.max(1), maps_to_mask_res(m, g, 64))
        print('flipped bank' if with_flipped_bank else 'bank', name, r['img'], r['pix'], flush=True)
