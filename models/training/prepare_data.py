#!/usr/bin/env python3
"""Prepare Remaster's super-resolution training data from unpacked Debian game-texture packages.

Usage (run by hand, CPU only, numpy + pillow):
    SRC=$(/work/shared/tools/get-debian-textures.sh openarena-081-textures)
    SRC2=$(/work/shared/tools/get-debian-textures.sh nexuiz-textures)        # optional
    python3 models/training/prepare_data.py --out models/training/data $SRC $SRC2

What it does
- collects every .tga/.jpg/.png under the package roots, skipping normal/bump/height/specular/gloss/glow/mask
  maps (the colour models are trained on colour textures only) and images whose smaller side is < 128 px;
- drops near-flat images (luma std < 6/255 or mean absolute gradient < 1.5/255) and exact pixel duplicates
  (after a 32x32 thumbnail hash, which also folds re-saved copies together);
- splits **by texture-set folder** (the parent directory: gothic_wall, base_floor, ...; the same folder name in
  two packages is one set): a folder goes to the held-out split when sha1(folder) mod 100 < heldout-pct (10). Splitting by folder rather than by file keeps recoloured
  variants of one texture from leaking between the splits. The held-out split is never used for training;
- training images stay at native resolution, like the held-out/eval textures (run 1 used 2x-downscaled, sharper
  HR targets, --halve-large, and scored lower, together with other changes); one random window of
  at most 256x256 per image is kept so that ~1200 distinct textures fit the GPU machine's 64 MiB transfer limit;
- writes `train.npz` (lossless WebP bytes per image, uint8 arrays, one key per image) and `heldout/*.png`
  (held-out textures, centre-cropped to at most 512x512, sides cropped to a multiple of 4) plus `manifest.json`
  listing every file used and its split, and `heldout_monitor.npz` (48 held-out 256x256 centre crops, lossless
  WebP) for monitoring on the GPU machine.
"""
import argparse, hashlib, io, json, os, re, sys
import numpy as np
from PIL import Image

SKIP = re.compile(r'(_n|_nm|_norm|_normal|_local|_bump|_h|_height|_disp|_s|_spec|_gloss|_glow|_mask|_alpha|_blend|_lm)'
                  r'(\.|_)|(normal|bump|height)', re.I)


def load_rgb(path):
    im = Image.open(path)
    im.load()
    if im.mode in ('RGBA', 'LA') or (im.mode == 'P' and 'transparency' in im.info):
        a = np.asarray(im.convert('RGBA'))[..., 3]
        if (a > 127).mean() < 0.9:  # RGB under transparent texels is often junk
            return None
    return im.convert('RGB')


def is_flat(arr):
    y = arr.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    g = (np.abs(np.diff(y, axis=0)).mean() + np.abs(np.diff(y, axis=1)).mean()) / 2
    return y.std() < 6 or g < 1.5


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('roots', nargs='+')
    ap.add_argument('--out', required=True)
    ap.add_argument('--min-side', type=int, default=128)
    ap.add_argument('--heldout-pct', type=int, default=10)
    ap.add_argument('--train-crop', type=int, default=256,
                    help='keep one random window of at most this side per training image (0: whole image)')
    ap.add_argument('--halve-large', action='store_true',
                    help='downscale training images with smaller side >= 512 by 2 first (run 1 did; see README)')
    ap.add_argument('--monitor-n', type=int, default=48)
    ap.add_argument('--budget-mb', type=float, default=50.0, help='cap on train.npz size')
    args = ap.parse_args()

    os.makedirs(os.path.join(args.out, 'heldout'), exist_ok=True)
    seen = set()
    items = []
    stats = dict(files=0, skipped_name=0, too_small=0, transparent=0, flat=0, dup=0, error=0)
    for root in args.roots:
        pkg = os.path.basename(os.path.normpath(root))
        files = []
        for dp, _, fns in os.walk(root):
            for fn in fns:
                if fn.lower().endswith(('.tga', '.jpg', '.jpeg', '.png')):
                    files.append(os.path.join(dp, fn))
        files.sort()
        for f in files:
            stats['files'] += 1
            if SKIP.search(os.path.basename(f)):
                stats['skipped_name'] += 1
                continue
            try:
                with Image.open(f) as probe:
                    if min(probe.size) < args.min_side:
                        stats['too_small'] += 1
                        continue
                im = load_rgb(f)
            except Exception:
                stats['error'] += 1
                continue
            if im is None:
                stats['transparent'] += 1
                continue
            arr = np.asarray(im)
            if is_flat(arr):
                stats['flat'] += 1
                continue
            h = hashlib.sha1(np.asarray(im.resize((32, 32), Image.BILINEAR)).tobytes()).hexdigest()
            if h in seen:
                stats['dup'] += 1
                continue
            seen.add(h)
            folder = os.path.basename(os.path.dirname(f))
            # Split key: the texture-set folder name, *without* the package, because openarena and nexuiz
            # share sets (evil8_wall, e7, ...). Catch-all folders are split by the file-name prefix instead.
            key = folder
            if folder.lower() in ('textures', 'env', 'models', 'skies', 'sky'):
                key = folder + '/' + re.split(r'[_\d-]', os.path.basename(f).lower())[0]
            split_key = int(hashlib.sha1(key.lower().encode()).hexdigest(), 16) % 100
            split = 'heldout' if split_key < args.heldout_pct else 'train'
            items.append(dict(pkg=pkg, path=os.path.relpath(f, root), folder=folder, split=split,
                              size=list(im.size), abspath=f))
    print(json.dumps(stats), file=sys.stderr)

    train = [it for it in items if it['split'] == 'train']
    held = [it for it in items if it['split'] == 'heldout']
    # Encode training images; stop at the byte budget (shuffled so the cut is unbiased).
    rng = np.random.default_rng(0)
    order = rng.permutation(len(train))
    blobs, total, used = {}, 0, []
    for i in order:
        it = train[i]
        im = load_rgb(it['abspath'])
        if args.halve_large and min(im.size) >= 512:
            im = im.resize((im.size[0] // 2, im.size[1] // 2), Image.LANCZOS)
        if args.train_crop:  # one random native-resolution window per image: more images fit the budget
            w, h = im.size
            cw, ch = min(w, args.train_crop), min(h, args.train_crop)
            l, t = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
            im = im.crop((l, t, l + cw, t + ch))
        buf = io.BytesIO()
        im.save(buf, format='WEBP', lossless=True, quality=60, method=4)
        b = buf.getvalue()
        if total + len(b) > args.budget_mb * 2**20:
            it['split'] = 'train-unused(budget)'
            continue
        total += len(b)
        blobs[f'img{len(blobs):05d}'] = np.frombuffer(b, np.uint8)
        used.append(it)
    np.savez(os.path.join(args.out, 'train.npz'), **blobs)
    for it in held:
        im = load_rgb(it['abspath'])
        w, h = im.size
        cw, ch = min(w, 512) // 4 * 4, min(h, 512) // 4 * 4
        l, t = (w - cw) // 2, (h - ch) // 2
        im = im.crop((l, t, l + cw, t + ch))
        name = f"{it['pkg'].split('-')[0]}__{it['folder']}__{os.path.splitext(os.path.basename(it['path']))[0]}.png"
        it['heldout_png'] = name
        im.save(os.path.join(args.out, 'heldout', name))
    # A small held-out pack that travels to the GPU machine for monitoring during training (the model-card
    # figures come from evaluate.py over the whole heldout/ folder): every k-th held-out image, centre 256x256.
    pick = held[::max(1, len(held) // args.monitor_n)][:args.monitor_n]
    mon = {}
    for j, it in enumerate(pick):
        im = Image.open(os.path.join(args.out, 'heldout', it['heldout_png']))
        w, h = im.size
        cw, ch = min(w, 256), min(h, 256)
        im = im.crop(((w - cw) // 2, (h - ch) // 2, (w - cw) // 2 + cw, (h - ch) // 2 + ch))
        buf = io.BytesIO()
        im.save(buf, format='WEBP', lossless=True)
        mon[f'img{j:03d}'] = np.frombuffer(buf.getvalue(), np.uint8)
    np.savez(os.path.join(args.out, 'heldout_monitor.npz'), **mon)
    for it in items:
        it.pop('abspath')
    with open(os.path.join(args.out, 'manifest.json'), 'w') as fh:
        json.dump(dict(stats=stats, items=items), fh, indent=1)
    print(f'train images packed: {len(used)} ({total / 2**20:.1f} MiB), unused by budget: '
          f'{len(train) - len(used)}, held-out images: {len(held)} from folders '
          f'{sorted(set(it["pkg"] + "/" + it["folder"] for it in held))}')


if __name__ == '__main__':
    main()
