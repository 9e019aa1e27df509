"""SimpleNet-style discriminator on frozen features: a 2-layer MLP (leaky ReLU) trained with the
truncated L1 loss to tell standardised normal patch features (≥ 0.5) from the same features plus
Gaussian noise (≤ −0.5); the patch score is minus its output. NumPy, hand-written backprop, Adam.
python3 discriminator.py <dump dir> <tap> [noise σ 0.5] [hidden 1024] [epochs 20]"""
import sys
import numpy as np
from study import Data, evaluate, features, maps_to_mask_res

data = Data(sys.argv[1]); tap = sys.argv[2]
sigma = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
hidden = int(sys.argv[4]) if len(sys.argv) > 4 else 1024
epochs = int(sys.argv[5]) if len(sys.argv) > 5 else 20
F, grid = features(data, [tap], 3)
N, P, D = F.shape
train = F[:data.ntrain].reshape(-1, D)
Z = ((F - train.mean(0)) / (train.std(0) + 1e-6)).astype(np.float32)
X = Z[:data.ntrain].reshape(-1, D)
rng = np.random.default_rng(0)
params = [(rng.standard_normal((D, hidden)) * np.sqrt(2 / D)).astype(np.float32), np.zeros(hidden, np.float32),
          (rng.standard_normal(hidden) * np.sqrt(1 / hidden)).astype(np.float32), np.zeros(1, np.float32)]
moments = [[np.zeros_like(p), np.zeros_like(p)] for p in params]

def forward(x):
    h = x @ params[0] + params[1]
    a = np.where(h > 0, h, 0.2 * h)
    return a @ params[2] + params[3][0], h, a

step = 0
for epoch in range(epochs):
    order = rng.permutation(len(X)); loss = 0.0
    for start in range(0, len(X), 1024):
        normal = X[order[start:start + 1024]]; n = len(normal)
        x = np.concatenate([normal, normal + (rng.standard_normal(normal.shape) * sigma).astype(np.float32)])
        out, h, a = forward(x)
        below, above = 0.5 - out[:n] > 0, 0.5 + out[n:] > 0
        loss += np.maximum(0, 0.5 - out[:n]).mean() + np.maximum(0, 0.5 + out[n:]).mean()
        g = np.concatenate([-below.astype(np.float32), above.astype(np.float32)]) / n
        gh = np.outer(g, params[2]) * np.where(h > 0, 1, 0.2).astype(np.float32)
        grads = [x.T @ gh, gh.sum(0), a.T @ g, np.array([g.sum()], np.float32)]
        step += 1
        for p, gr, m in zip(params, grads, moments):
            m[0] = 0.9 * m[0] + 0.1 * gr; m[1] = 0.999 * m[1] + 0.001 * gr * gr
            p -= 1e-3 * (m[0] / (1 - 0.9 ** step)) / (np.sqrt(m[1] / (1 - 0.999 ** step)) + 1e-8)
    if epoch % 5 == 4 or epoch == epochs - 1:
        test = np.concatenate([-forward(Z[s:s + 64].reshape(-1, D))[0] for s in range(data.ntrain, N, 64)]).reshape(-1, P)
        r = evaluate(data, test.max(1), maps_to_mask_res(test, grid, data.meta['mask']))
        print('epoch', epoch + 1, 'loss', round(loss, 3), 'image', r['img'], 'pixel', r['pix'], flush=True)
