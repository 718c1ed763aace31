#!/usr/bin/env python3
"""Print the model-card results table (markdown) from an evaluate.py --json file.

    python3 models/training/card_table.py x4.json
"""
import json, sys

d = json.load(open(sys.argv[1]))
s = d['summary']
m = s['mean']
print(f"Held-out textures: {s['images']} (flat skipped: {s['skipped_flat']}), x{s['scale']}, "
      f"LR = PIL bicubic (antialiased) downscale of the original, no border shave.\n")
print('| method | PSNR (dB, RGB) | SSIM (luma) | HFEN (luma, lower is better) |')
print('| --- | --- | --- | --- |')
for k, label in (('model', s['model']), ('bicubic', 'bicubic (PIL)'), ('lanczos', 'Lanczos-3 (PIL)')):
    print(f"| {label} | {m[k]['psnr']:.2f} | {m[k]['ssim']:.4f} | {m[k]['hfen']:.4f} |")
print(f"\nGain over bicubic: **{s['psnr_gain_vs_bicubic']:+.2f} dB** mean (median {s['median_gain_vs_bicubic']:+.2f}, "
      f"worst image {s['min_gain']:+.2f}); over Lanczos {s['psnr_gain_vs_lanczos']:+.2f} dB; the model beats bicubic "
      f"on {s['images_better_than_bicubic']}/{s['images']} images. HFEN "
      f"{(m['model']['hfen'] / m['bicubic']['hfen'] - 1) * 100:+.0f} % vs bicubic.")
