"""Train PbrNet (colour -> normal slopes, height, roughness) on OUT/train.npz from prepare_pbr_data.py.

CPU, one thread (the machine is shared), fixed wall-clock budget. Monitors on the validation split
(training folders' neighbours, never the held-out split) and keeps the EMA weights; writes
`<out>.pt` (state dict + config + log) and `<out>.log`.

  python3 models/training/pbr/train_pbr.py models/training/data/pbr --minutes 13 --out models/training/pbr/checkpoints/remaster-pbr
"""
import argparse, copy, glob, json, math, os, sys, time
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from pbrlib import PbrNet, slopes_to_normal, decode_normal_u8, angular_error_deg


def load_train(path):
    z = np.load(path)
    n = len([k for k in z.files if k.endswith('_c')])
    items = []
    for i in range(n):
        items.append(dict(c=z[f'{i}_c'], n=z[f'{i}_n'], h=z[f'{i}_h'] if f'{i}_h' in z.files else None,
                          r=z[f'{i}_r'] if f'{i}_r' in z.files else None))
    return items


def sample(items, rng, batch, size):
    """A batch of random crops with flips/transposes applied consistently to the normal vectors."""
    X, N, H, R, mh, mr = [], [], [], [], [], []
    for _ in range(batch):
        it = items[rng.integers(len(items))]
        c = it['c']
        h, w = c.shape[:2]
        reps = (math.ceil(size / h), math.ceil(size / w))  # small textures tile: wrap them
        def crop(a, y, x):
            if reps != (1, 1):
                a = np.tile(a, reps + ((1,) if a.ndim == 3 else ()))
            return a[y:y + size, x:x + size]
        hh, ww = h * reps[0], w * reps[1]
        y, x = rng.integers(0, hh - size + 1), rng.integers(0, ww - size + 1)
        col = crop(c, y, x).astype(np.float32) / 255
        nrm = crop(it['n'], y, x).astype(np.float32) / 255 * 2 - 1
        hgt = crop(it['h'], y, x).astype(np.float32) / 255 if it['h'] is not None else np.zeros((size, size), np.float32)
        rgh = crop(it['r'], y, x).astype(np.float32) / 255 if it['r'] is not None else np.zeros((size, size), np.float32)
        # Geometric augmentation: image x flip negates n_x, y flip negates n_y, transpose swaps them.
        if rng.random() < 0.5:
            col, nrm, hgt, rgh = col[:, ::-1], nrm[:, ::-1] * [-1, 1, 1], hgt[:, ::-1], rgh[:, ::-1]
        if rng.random() < 0.5:
            col, nrm, hgt, rgh = col[::-1], nrm[::-1] * [1, -1, 1], hgt[::-1], rgh[::-1]
        if rng.random() < 0.5:
            col, nrm, hgt, rgh = col.transpose(1, 0, 2), nrm.transpose(1, 0, 2)[..., [1, 0, 2]], hgt.T, rgh.T
        # Photometric augmentation: per-channel gain and brightness; sometimes grey.
        col = col * rng.uniform(0.85, 1.15, 3) * rng.uniform(0.8, 1.2)
        if rng.random() < 0.1:
            col = col.mean(-1, keepdims=True).repeat(3, -1)
        X.append(np.clip(col, 0, 1)); N.append(nrm); H.append(hgt); R.append(rgh)
        mh.append(it['h'] is not None); mr.append(it['r'] is not None)
    t = lambda a: torch.from_numpy(np.ascontiguousarray(np.stack(a))).float()
    return (t(X).permute(0, 3, 1, 2), t(N).permute(0, 3, 1, 2), t(H)[:, None], t(R)[:, None],
            torch.tensor(mh, dtype=torch.float32), torch.tensor(mr, dtype=torch.float32))


def losses(out, nrm, hgt, rgh, mh, mr):
    n_gt = nrm / nrm.norm(dim=1, keepdim=True).clamp(min=1e-6)
    n_pred = slopes_to_normal(out[:, :2])
    # L1 on the unit vectors: ~ proportional to the angle for small errors, so flat-ish texels (most of
    # them) still pull; 1 - cos (~ angle^2 / 2) let the first run settle on flat normals.
    l_n = (n_pred - n_gt).abs().sum(1).mean()
    hp = out[:, 2:3] - out[:, 2:3].mean((2, 3), keepdim=True)
    hg = hgt - hgt.mean((2, 3), keepdim=True)
    l_h = ((hp - hg).abs().mean((1, 2, 3)) * mh).sum() / mh.sum().clamp(min=1)
    l_r = ((out[:, 3:4] - rgh).abs().mean((1, 2, 3)) * mr).sum() / mr.sum().clamp(min=1)
    return l_n, l_h, l_r


def load_split(folder, limit=None):
    out = []
    for f in sorted(glob.glob(os.path.join(folder, '*_color.png')))[:limit]:
        base = f[:-len('_color.png')]
        c = np.array(Image.open(f).convert('RGB'))
        n = np.asarray(Image.open(base + '_normal.png').convert('RGB'))
        r = np.asarray(Image.open(base + '_roughness.png').convert('L')) if os.path.exists(base + '_roughness.png') else None
        out.append((c, n, r))
    return out


@torch.no_grad()
def evaluate(model, data):
    errs, rm = [], []
    for c, n, r in data:
        x = torch.from_numpy(c).float().permute(2, 0, 1)[None] / 255
        o = model(x)
        e = angular_error_deg(slopes_to_normal(o[:, :2]), decode_normal_u8(torch.from_numpy(n).float().permute(2, 0, 1)[None] / 255))
        errs.append(e)
        if r is not None:
            rm.append(((o[0, 3] - torch.from_numpy(r).float() / 255) ** 2).mean().sqrt().item())
    return float(np.mean(errs)), (float(np.mean(rm)) if rm else float('nan'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('data')
    ap.add_argument('--out', required=True)
    ap.add_argument('--minutes', type=float, default=13)
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--size', type=int, default=96)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--w-height', type=float, default=0.5)
    ap.add_argument('--w-rough', type=float, default=0.5)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--prior', default='heuristic', choices=['heuristic', 'linear'],
                    help='heuristic: v1 (HeuristicPrior); linear: LinearPrior initialised from --prior-init')
    ap.add_argument('--val-every', type=float, default=90, help='seconds between validation passes')
    ap.add_argument('--prior-init', help='fit_prior.py JSON (weights, channels) for --prior linear')
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    items = load_train(os.path.join(args.data, 'train.npz'))
    val = load_split(os.path.join(args.data, 'val'))[::2]  # 80 of 159: monitoring stays cheap
    # Every 64x64-or-larger val image, cropped to <= 256 so monitoring stays cheap.
    val = [(c[:256, :256], n[:256, :256], None if r is None else r[:256, :256]) for c, n, r in val]
    val = [(c[:c.shape[0] // 4 * 4, :c.shape[1] // 4 * 4], n[:n.shape[0] // 4 * 4, :n.shape[1] // 4 * 4],
            None if r is None else r[:r.shape[0] // 4 * 4, :r.shape[1] // 4 * 4]) for c, n, r in val]
    print(f'train materials {len(items)} (height {sum(i["h"] is not None for i in items)}, '
          f'rough {sum(i["r"] is not None for i in items)}), val {len(val)}', flush=True)
    net_args = {}
    if args.prior == 'linear':
        init = json.load(open(args.prior_init))
        net_args = dict(prior='linear', prior_channels=init['channels'], prior_weights=init['weights'])
    model = PbrNet(**net_args)
    ema = copy.deepcopy(model)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.99))
    budget = args.minutes * 60
    t0 = time.time()
    step, log, best = 0, [], None
    next_eval = min(60, args.val_every)
    os.makedirs(os.path.dirname(args.out) or '.', exist_ok=True)
    while True:
        el = time.time() - t0
        if el > budget:
            break
        frac = el / budget
        lr = args.lr * min(1, (step + 1) / 100) * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g['lr'] = lr
        X, N, H, R, mh, mr = sample(items, rng, args.batch, args.size)
        l_n, l_h, l_r = losses(model(X), N, H, R, mh, mr)
        loss = l_n + args.w_height * l_h + args.w_rough * l_r
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        d = min(0.995, (1 + step) / (10 + step))
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(d).add_(pm, alpha=1 - d)
        if step == 1 or el > next_eval:
            next_eval += args.val_every
            va, vr = evaluate(ema, val)
            if best is None or va < best[0]:
                best = (va, step, copy.deepcopy(ema.state_dict()))
            rec = dict(step=step, sec=round(el), lr=lr, l_n=l_n.item(), l_h=l_h.item(), l_r=l_r.item(), val_angle=va, val_rough_rmse=vr)
            log.append(rec)
            print(json.dumps(rec), flush=True)
    va, vr = evaluate(ema, val)
    log.append(dict(step=step, sec=round(time.time() - t0), final=True, val_angle=va, val_rough_rmse=vr))
    print(json.dumps(log[-1]), flush=True)
    # The EMA weights with the lowest validation normal error (validation = training folders' split,
    # never the held-out one) are what gets saved.
    state = ema.state_dict()
    if best is not None and best[0] < va:
        state = best[2]
        log.append(dict(kept_step=best[1], val_angle=best[0]))
        print(json.dumps(log[-1]), flush=True)
    torch.save(dict(state=state, config=vars(args), net_args=net_args, log=log, train_count=len(items)), args.out + '.pt')
    with open(args.out + '.log', 'w') as f:
        f.write('\n'.join(json.dumps(r) for r in log) + '\n')


if __name__ == '__main__':
    main()
