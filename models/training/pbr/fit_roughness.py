"""Least-squares fit of the heuristic's roughness line on the TRAINING split (never held-out):
   roughness ≈ base + lumGain * luma_blur1 + detailGain * detail
with luma = Rec.709 on sRGB values, luma_blur1 = Gaussian sigma 1, detail = blur2(|luma - blur2(luma)|), wrapped
edges: the same features as plugin/ops/pbr/heuristic.ts (which uses 3-box approximations of the Gaussians).
Prints the constants for DEFAULT_ROUGHNESS.

  python3 models/training/pbr/fit_roughness.py models/training/data/pbr/train.npz
"""
import sys
import numpy as np
from scipy.ndimage import gaussian_filter

z = np.load(sys.argv[1])
rng = np.random.default_rng(0)
X, Y = [], []
for k in z.files:
    if not k.endswith('_r'):
        continue
    i = k[:-2]
    c = z[i + '_c'].astype(np.float32) / 255
    r = z[k].astype(np.float32) / 255
    luma = c @ np.array([0.2126, 0.7152, 0.0722], np.float32)
    l1 = gaussian_filter(luma, 1, mode='wrap')
    det = gaussian_filter(np.abs(luma - gaussian_filter(luma, 2, mode='wrap')), 2, mode='wrap')
    idx = rng.choice(luma.size, min(2000, luma.size), replace=False)
    X.append(np.stack([np.ones(idx.size), l1.ravel()[idx], det.ravel()[idx]], 1))
    Y.append(r.ravel()[idx])
X, Y = np.concatenate(X), np.concatenate(Y)
coef, *_ = np.linalg.lstsq(X, Y, rcond=None)
pred = np.clip(X @ coef, 0.05, 1)
print(f'{len([k for k in z.files if k.endswith("_r")])} gloss maps, {len(Y)} texels')
print(f'base {coef[0]:.4f} lumGain {coef[1]:.4f} detailGain {coef[2]:.4f}; train RMSE {np.sqrt(((pred - Y) ** 2).mean()):.4f}'
      f' (constant mean {Y.mean():.4f}: RMSE {Y.std():.4f})')
