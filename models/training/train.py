#!/usr/bin/env python3
"""Train one Remaster super-resolution model (time-budgeted), keep an EMA of the weights, monitor held-out PSNR,
and save a checkpoint (state dict + config + log) that export.py turns into ONNX.

    python3 models/training/train.py --name remaster-x4-fast --scale 4 --nf 32 --nconv 8 --minutes 7 \
        --data models/training/data --out models/training/runs

On the GPU machine the whole data set lives on the GPU as uint8 tiles; patches are cropped, augmented and degraded
there (srlib.degrade), so the CPU only launches kernels.
"""
import argparse, io, json, math, os, sys, time
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import srlib  # noqa: E402


def decode_npz(path):
    z = np.load(path)
    return [np.asarray(Image.open(io.BytesIO(z[k].tobytes())).convert('RGB')) for k in sorted(z.files)]


def tile_bank(images, tile, stride, device):
    tiles = []
    for a in images:
        h, w, _ = a.shape
        if h < tile or w < tile:
            continue
        ys = sorted(set(list(range(0, h - tile + 1, stride)) + [h - tile]))
        xs = sorted(set(list(range(0, w - tile + 1, stride)) + [w - tile]))
        for y in ys:
            for x in xs:
                t = a[y:y + tile, x:x + tile]
                l = t.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
                if l.std() >= 3.0:  # skip flat tiles: nothing to learn there
                    tiles.append(t)
    bank = torch.from_numpy(np.stack(tiles)).permute(0, 3, 1, 2).contiguous()
    return bank.to(device)


def sample(bank, batch, patch, gen, device):
    idx = torch.randint(0, bank.shape[0], (batch,), generator=gen).to(device)
    t = bank.shape[-1]
    oy, ox = [int(v) for v in torch.randint(0, t - patch + 1, (2,), generator=gen)]
    x = bank[idx, :, oy:oy + patch, ox:ox + patch].float() / 255
    r = int(torch.randint(0, 8, (1,), generator=gen))
    if r & 1:
        x = x.flip(-1)
    if r & 2:
        x = x.flip(-2)
    if r & 4:
        x = x.transpose(-1, -2)
    return x.contiguous()


def evaluate(model, mon_images, scale, device):
    """Held-out monitor: bicubic (PIL, antialiased) downscale -> model / PIL bicubic / PIL Lanczos."""
    model.eval()
    res = dict(model=[], bicubic=[], lanczos=[], hfen_model=[], hfen_bicubic=[])
    for a in mon_images:
        h, w = a.shape[0] // scale * scale, a.shape[1] // scale * scale
        hr = a[:h, :w]
        lr = np.asarray(Image.fromarray(hr).resize((w // scale, h // scale), Image.BICUBIC))
        sr = srlib.run_model(model, lr, device)
        bic = np.asarray(Image.fromarray(lr).resize((w, h), Image.BICUBIC))
        lan = np.asarray(Image.fromarray(lr).resize((w, h), Image.LANCZOS))
        res['model'].append(srlib.psnr(sr, hr))
        res['bicubic'].append(srlib.psnr(bic, hr))
        res['lanczos'].append(srlib.psnr(lan, hr))
        res['hfen_model'].append(srlib.hfen(sr, hr))
        res['hfen_bicubic'].append(srlib.hfen(bic, hr))
    model.train()
    return {k: float(np.mean(v)) for k, v in res.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--name', required=True)
    ap.add_argument('--scale', type=int, required=True)
    ap.add_argument('--nf', type=int, default=32)
    ap.add_argument('--nconv', type=int, default=8)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--patch', type=int, default=128, help='HR patch side')
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--hfen-weight', type=float, default=0.3)
    ap.add_argument('--p-clean', type=float, default=0.7)
    ap.add_argument('--p-each', type=float, default=0.3, help='probability of blur / noise / JPEG in a degraded group')
    ap.add_argument('--minutes', type=float, default=7.0)
    ap.add_argument('--max-steps', type=int, default=0, help='stop after N steps (smoke tests)')
    ap.add_argument('--eval-every', type=float, default=60.0, help='seconds between held-out evaluations')
    ap.add_argument('--data', default='models/training/data')
    ap.add_argument('--out', default='models/training/runs')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--threads', type=int, default=2)
    args = ap.parse_args()

    dev = 'cuda' if torch.cuda.is_available() else 'cpu'
    torch.set_num_threads(args.threads)
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    logf = open(os.path.join(args.out, f'{args.name}.log'), 'w')

    def log(msg):
        line = f'[{args.name} {time.strftime("%H:%M:%S")}] {msg}'
        print(line, flush=True)
        logf.write(line + '\n')
        logf.flush()

    t0 = time.time()
    imgs = decode_npz(os.path.join(args.data, 'train.npz'))
    bank = tile_bank(imgs, 128, 48, dev)
    mon = decode_npz(os.path.join(args.data, 'heldout_monitor.npz'))
    mon = [a for a in mon if (a.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)).std() >= 3.0]
    log(f'device={dev} torch={torch.__version__} train images={len(imgs)} tiles={bank.shape[0]} '
        f'monitor images={len(mon)} data load {time.time() - t0:.1f}s')
    del imgs

    model = srlib.SRVGGCompact(args.scale, args.nf, args.nconv).to(dev)
    ema = srlib.SRVGGCompact(args.scale, args.nf, args.nconv).to(dev)
    ema.load_state_dict(model.state_dict())
    for p in ema.parameters():
        p.requires_grad_(False)
    log(f'params={srlib.n_params(model)} scale={args.scale} nf={args.nf} nconv={args.nconv} batch={args.batch} '
        f'patch={args.patch} lr={args.lr} hfen_w={args.hfen_weight} p_clean={args.p_clean}')
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.99))
    kern = srlib.log_kernel(15, 1.5, dev)
    budget = args.minutes * 60
    t_start = time.time()
    last_eval = t_start
    last_save = t_start
    step, run_l, run_h = 0, 0.0, 0.0
    ckpt_path = os.path.join(args.out, f'{args.name}.pt')
    cfg = dict(name=args.name, scale=args.scale, nf=args.nf, nconv=args.nconv, params=srlib.n_params(model),
               batch=args.batch, patch=args.patch, lr=args.lr, hfen_weight=args.hfen_weight, p_clean=args.p_clean, p_each=args.p_each,
               device=torch.cuda.get_device_name() if dev == 'cuda' else 'cpu', torch=torch.__version__)

    def save(final=False, metrics=None):
        torch.save(dict(config=cfg, state_dict={k: v.detach().cpu() for k, v in ema.state_dict().items()},
                        steps=step, seconds=time.time() - t_start, final=final, metrics=metrics), ckpt_path)

    metrics = None
    while True:
        el = time.time() - t_start
        if el >= budget or (args.max_steps and step >= args.max_steps):
            break
        frac = el / budget
        warm = min(1.0, step / 500)
        lr_now = args.lr * warm * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g['lr'] = lr_now
        hr = sample(bank, args.batch, args.patch, gen, dev)
        lr_img = srlib.degrade(hr, args.scale, gen, p_clean=args.p_clean, p_each=args.p_each)
        sr = model(lr_img)
        l_pix = srlib.charbonnier(sr, hr)
        l_hf = (srlib.log_filter(sr, kern) - srlib.log_filter(hr, kern)).abs().mean()
        loss = l_pix + args.hfen_weight * l_hf
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        d = min(0.999, (1 + step) / (10 + step))
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(d).add_(pm.detach(), alpha=1 - d)
        step += 1
        if step % 200 == 0:
            run_l, run_h = float(l_pix), float(l_hf)
        if step % 2000 == 0:
            log(f'step {step} t={el:.0f}s lr={lr_now:.2e} charb={run_l:.5f} hfen_l1={run_h:.5f}')
        now = time.time()
        if now - last_eval >= args.eval_every:
            metrics = evaluate(ema, mon, args.scale, dev)
            log(f'eval step {step}: ' + ' '.join(f'{k}={v:.4f}' for k, v in metrics.items()) +
                f' gain_vs_bicubic={metrics["model"] - metrics["bicubic"]:+.3f}dB')
            last_eval = time.time()
            save(False, metrics)
            last_save = time.time()
    metrics = evaluate(ema, mon, args.scale, dev)
    log(f'final step {step} ({time.time() - t_start:.0f}s, {step / max(1e-9, time.time() - t_start):.1f} steps/s): '
        + ' '.join(f'{k}={v:.4f}' for k, v in metrics.items()) +
        f' gain_vs_bicubic={metrics["model"] - metrics["bicubic"]:+.3f}dB')
    save(True, metrics)
    log(f'saved {ckpt_path}')


if __name__ == '__main__':
    main()
