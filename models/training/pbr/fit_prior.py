"""Least-squares fit of LinearPrior's weights (pbrlib.py) on the training split: the slopes of the
game's normal maps (n_x / n_z, n_y / n_z, clipped to +-3) regressed on the gradients of every colour
channel blurred at sigma 1..32. Reports the validation normal error of the fitted prior alone, beside
the heuristic's, and writes the weights as JSON for train_pbr.py --prior-init.

  python3 models/training/pbr/fit_prior.py models/training/data/pbr --channels rgb --out models/training/pbr/checkpoints/prior-rgb.json
"""
import argparse, glob, json, os, sys
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from pbrlib import HeuristicPrior, LinearPrior, angular_error_deg, decode_normal_u8, slopes_to_normal


def level_gradients(prior, x):
    """(k, H, W) x- and y-slope features: slope = sum_k w_k * feature_k."""
    b = prior.levels(x)
    bp = F.pad(b, (1, 1, 1, 1), mode='replicate')
    fx = -(bp[:, :, 1:-1, 2:] - bp[:, :, 1:-1, :-2]) * 0.5
    fy = (bp[:, :, 2:, 1:-1] - bp[:, :, :-2, 1:-1]) * 0.5
    return fx[0], fy[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('data')
    ap.add_argument('--channels', default='rgb', choices=['rgb', 'luma'])
    ap.add_argument('--out', required=True)
    ap.add_argument('--samples', type=int, default=6000, help='texels per training window')
    args = ap.parse_args()
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    prior = LinearPrior(channels=args.channels)
    z = np.load(os.path.join(args.data, 'train.npz'))
    n = len([k for k in z.files if k.endswith('_c')])
    k = prior.nc * len(prior.sigmas)
    A, B = torch.zeros(k, k, dtype=torch.float64), torch.zeros(k, dtype=torch.float64)
    with torch.no_grad():
        for i in range(n):
            c = torch.from_numpy(z[f'{i}_c']).float().permute(2, 0, 1)[None] / 255
            v = torch.from_numpy(z[f'{i}_n']).float().permute(2, 0, 1) / 255 * 2 - 1
            nz = v[2].clamp(min=0.2)
            t = torch.cat([(v[0] / nz).clamp(-3, 3).reshape(-1), (v[1] / nz).clamp(-3, 3).reshape(-1)])
            fx, fy = level_gradients(prior, c)
            X = torch.cat([fx.reshape(k, -1), fy.reshape(k, -1)], 1)
            idx = torch.from_numpy(rng.choice(X.shape[1], min(X.shape[1], args.samples), replace=False))
            X, t = X[:, idx].double(), t[idx].double()
            A += X @ X.T
            B += X @ t
    w = torch.linalg.solve(A + 1e-3 * torch.eye(k, dtype=torch.float64), B).float()
    prior.weights.data = w.view(len(prior.sigmas), prior.nc).t().contiguous()  # features are level-major
    heur = HeuristicPrior()
    errs, errh = [], []
    with torch.no_grad():
        for f in sorted(glob.glob(os.path.join(args.data, 'val', '*_color.png')))[::2]:
            c = torch.from_numpy(np.array(Image.open(f).convert('RGB'))[:256, :256]).float().permute(2, 0, 1)[None] / 255
            t = decode_normal_u8(torch.from_numpy(np.array(Image.open(f.replace('_color', '_normal')).convert('RGB'))[:256, :256]).float().permute(2, 0, 1)[None] / 255)
            errs.append(angular_error_deg(slopes_to_normal(prior(c)), t))
            errh.append(angular_error_deg(slopes_to_normal(heur(c)), t))
    weights = prior.weights.data.tolist()
    rec = dict(channels=args.channels, sigmas=list(prior.sigmas), weights=weights, train_windows=n,
               val_images=len(errs), val_angle_prior=float(np.mean(errs)), val_angle_heuristic=float(np.mean(errh)))
    print(json.dumps(rec))
    os.makedirs(os.path.dirname(args.out) or '.', exist_ok=True)
    with open(args.out, 'w') as fh:
        json.dump(rec, fh, indent=1)


if __name__ == '__main__':
    main()
