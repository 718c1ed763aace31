#!/usr/bin/env python3
"""Model-card figures: PSNR / SSIM / HFEN of a model vs bicubic and Lanczos on a folder of held-out textures.

    python3 models/training/evaluate.py models/remaster-x4-fast.onnx.pt-or-ckpt models/training/data/heldout \
        [--json out.json] [--limit N]

For each PNG: crop to a multiple of the scale, make the LR input with PIL's antialiased bicubic downscale (the
degradation `remaster eval` uses), upscale it with the model (torch, float32, clamped and rounded to 8 bits),
with PIL bicubic and with PIL Lanczos, and compare with the original. PSNR over RGB, SSIM on BT.601 luma, HFEN
on luma (LoG 15x15 sigma 1.5, relative L2); no border shave. Images whose luma std < 3 (flat) are skipped.
"""
import argparse, io, json, os, sys, time
import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import srlib  # noqa: E402
import export  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('ckpt')
    ap.add_argument('folder')
    ap.add_argument('--json')
    ap.add_argument('--limit', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--lr-jpeg', type=int, default=0,
                    help='also JPEG-compress the LR input at this quality (Pillow, 4:2:0): a degraded-input check')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    m, ck = export.load(args.ckpt)
    s = ck['config']['scale']
    files = sorted(f for f in os.listdir(args.folder) if f.lower().endswith('.png'))
    if args.limit:
        files = files[:args.limit]
    rows, skipped = [], 0
    t0 = time.time()
    for f in files:
        a = np.asarray(Image.open(os.path.join(args.folder, f)).convert('RGB'))
        h, w = a.shape[0] // s * s, a.shape[1] // s * s
        hr = np.ascontiguousarray(a[:h, :w])
        if (hr.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)).std() < 3.0 or min(h, w) < 8 * s:
            skipped += 1
            continue
        lr = np.asarray(Image.fromarray(hr).resize((w // s, h // s), Image.BICUBIC))
        if args.lr_jpeg:
            buf = io.BytesIO()
            Image.fromarray(lr).save(buf, format='JPEG', quality=args.lr_jpeg)
            lr = np.asarray(Image.open(buf).convert('RGB'))
        outs = dict(model=srlib.run_model(m, lr),
                    bicubic=np.asarray(Image.fromarray(lr).resize((w, h), Image.BICUBIC)),
                    lanczos=np.asarray(Image.fromarray(lr).resize((w, h), Image.LANCZOS)))
        r = dict(file=f, size=[w, h])
        for k, o in outs.items():
            r[k] = dict(psnr=srlib.psnr(o, hr), ssim=srlib.ssim(o, hr), hfen=srlib.hfen(o, hr))
        rows.append(r)
    mean = {k: {q: float(np.mean([r[k][q] for r in rows])) for q in ('psnr', 'ssim', 'hfen')}
            for k in ('model', 'bicubic', 'lanczos')}
    wins = int(sum(r['model']['psnr'] > r['bicubic']['psnr'] for r in rows))
    gains = np.array([r['model']['psnr'] - r['bicubic']['psnr'] for r in rows])
    summary = dict(model=ck['config']['name'], scale=s, lr_jpeg=args.lr_jpeg, images=len(rows), skipped_flat=skipped,
                   mean=mean, psnr_gain_vs_bicubic=mean['model']['psnr'] - mean['bicubic']['psnr'],
                   psnr_gain_vs_lanczos=mean['model']['psnr'] - mean['lanczos']['psnr'],
                   median_gain_vs_bicubic=float(np.median(gains)), min_gain=float(gains.min()),
                   images_better_than_bicubic=wins, seconds=time.time() - t0)
    print(f"{summary['model']} x{s} on {len(rows)} held-out images ({skipped} flat skipped)"
          + (f", LR JPEG q{args.lr_jpeg}" if args.lr_jpeg else '') + ':')
    for k in ('model', 'bicubic', 'lanczos'):
        print(f"  {k:8s} PSNR {mean[k]['psnr']:.3f} dB  SSIM {mean[k]['ssim']:.4f}  HFEN {mean[k]['hfen']:.4f}")
    print(f"  gain vs bicubic {summary['psnr_gain_vs_bicubic']:+.3f} dB (median {summary['median_gain_vs_bicubic']:+.3f}, "
          f"worst {summary['min_gain']:+.3f}), vs Lanczos {summary['psnr_gain_vs_lanczos']:+.3f} dB, "
          f"better than bicubic on {wins}/{len(rows)}")
    if args.json:
        json.dump(dict(summary=summary, rows=rows), open(args.json, 'w'), indent=1)


if __name__ == '__main__':
    main()
