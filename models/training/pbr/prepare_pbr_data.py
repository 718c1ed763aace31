"""Collect colour -> (normal, height, roughness) training/evaluation data from Debian `nexuiz-textures`.

Nexuiz (DarkPlaces engine) ships, per material `<base>`: the colour map `<base>.tga|jpg`, a tangent-space
normal map `<base>_norm.tga` (height for offset mapping in its alpha channel, when present) and, for about a
third of them, `<base>_gloss.tga` (DarkPlaces' specular intensity map). Targets:

- normal: the `_norm` RGB, converted to the glTF convention (+X right, +Y up, i.e. "OpenGL green").
  The convention is NOT uniform across the package: we check it per file against the alpha height
  (an OpenGL-convention map has n_y correlated with +dh/dv, v = image row going down, and n_x with -dh/du).
  Most sets agree with OpenGL; the evil4_* sets are DirectX-style (green flipped). Files without a usable
  alpha height take their folder's majority vote, else OpenGL (DarkPlaces' own convention).
- height: the `_norm` alpha when it varies (std > 0.02), oriented so that it agrees with n_x; otherwise masked.
- roughness: 1 - luminance(`_gloss`) (a proxy: DarkPlaces' gloss is specular intensity, not glossiness);
  masked when there is no gloss map.

Split: the same held-out rule as models/training/README.md: texture-set folder (catch-all folders such as
`textures` split by file-name prefix), sha1(key) mod 100 < 10 -> held-out. Among the rest, 10 <= key < 20
is the validation split (used to monitor training and to tune the heuristic) and the remainder is training.
The held-out split is never trained or tuned on.

Writes:
  OUT/train.npz      one random window of at most --crop x --crop per training material, keys `<i>_c|n|h|r`
                     (colour RGB uint8, normal RGB uint8 glTF convention, height uint8 or absent, rough uint8 or absent)
  OUT/val/ , OUT/heldout/   `<name>_color.png`, `<name>_normal.png` (glTF), `<name>_roughness.png` (if gloss),
                     `<name>_height.png` (if alpha height); centre-cropped to <= 512, sides multiple of 4
  OUT/manifest.json  every material used, its split, its normal convention decision and why
"""
import argparse, collections, glob, hashlib, json, os, re, sys
import numpy as np
from PIL import Image

CATCH_ALL = ('textures', 'env', 'models', 'skies', 'sky')


def split_key(path):
    folder = os.path.basename(os.path.dirname(path))
    key = folder
    if folder.lower() in CATCH_ALL:
        key = folder + '/' + re.split(r'[_\d-]', os.path.basename(path).lower())[0]
    return key, int(hashlib.sha1(key.lower().encode()).hexdigest(), 16) % 100


def find_file(base):
    for ext in ('.tga', '.jpg', '.png', '.jpeg'):
        if os.path.exists(base + ext):
            return base + ext
    return None


def convention_votes(norm_rgba):
    """(cx, cy): correlation of n_x with -dh/du and of n_y with +dh/dv; None when alpha is unusable."""
    a = norm_rgba.astype(np.float32) / 255
    h = a[..., 3]
    nx, ny = a[..., 0] * 2 - 1, a[..., 1] * 2 - 1
    if h.std() < 0.02 or nx.std() < 1e-3 or ny.std() < 1e-3:
        return None
    du, dv = np.gradient(h, axis=1), np.gradient(h, axis=0)
    if du.std() < 1e-6 or dv.std() < 1e-6:
        return None
    cx = float(np.corrcoef(nx.ravel(), -du.ravel())[0, 1])
    cy = float(np.corrcoef(ny.ravel(), dv.ravel())[0, 1])
    return cx, cy


def centre_crop(arr, side, mult=4):
    h, w = arr.shape[:2]
    ch, cw = min(h, side) // mult * mult, min(w, side) // mult * mult
    y, x = (h - ch) // 2, (w - cw) // 2
    return arr[y:y + ch, x:x + cw]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('root', help='nexuiz-textures unpack root (e.g. ~/.cache/remaster-data/nexuiz-textures)')
    ap.add_argument('--out', required=True)
    ap.add_argument('--crop', type=int, default=256)
    ap.add_argument('--min-side', type=int, default=64)
    args = ap.parse_args()
    rng = np.random.default_rng(0)

    norms = sorted(glob.glob(os.path.join(args.root, '**', '*_norm.*'), recursive=True))
    mats = []
    stats = collections.Counter()
    for n in norms:
        base = re.sub(r'_norm\.[A-Za-z]+$', '', n)
        col = find_file(base)
        if not col:
            stats['no_colour'] += 1
            continue
        mats.append(dict(base=base, colour=col, norm=n, gloss=find_file(base + '_gloss')))
    stats['materials'] = len(mats)

    # Pass 1: per-file convention votes, then folder majorities.
    for m in mats:
        nim = Image.open(m['norm'])
        m['votes'] = convention_votes(np.asarray(nim.convert('RGBA'))) if nim.mode == 'RGBA' else None
    folder_votes = collections.defaultdict(list)
    for m in mats:
        if m['votes'] and abs(m['votes'][1]) > 0.3:
            folder_votes[os.path.dirname(m['norm'])].append(np.sign(m['votes'][1]))

    root_out = args.out
    for d in ('val', 'heldout'):
        os.makedirs(os.path.join(root_out, d), exist_ok=True)
    blobs, manifest = {}, []
    ti = 0
    for m in mats:
        key, k = split_key(m['colour'])
        split = 'heldout' if k < 10 else ('val' if k < 20 else 'train')
        col = Image.open(m['colour']).convert('RGB')
        nim = Image.open(m['norm'])
        if nim.size != col.size:
            stats['size_mismatch'] += 1
            continue
        if min(col.size) < args.min_side:
            stats['too_small'] += 1
            continue
        nrgba = np.asarray(nim.convert('RGBA')).copy()
        v = m['votes']
        if v and abs(v[1]) > 0.3:
            ysign, why = float(np.sign(v[1])), 'alpha-height'
        elif folder_votes.get(os.path.dirname(m['norm'])):
            ysign, why = float(np.sign(np.sum(folder_votes[os.path.dirname(m['norm'])]) + 0.5)), 'folder-majority'
        else:
            ysign, why = 1.0, 'default-opengl'
        normal = nrgba[..., :3].copy()
        if ysign < 0:
            normal[..., 1] = 255 - normal[..., 1]
        stats['directx_flipped' if ysign < 0 else 'opengl'] += 1
        height = None
        if v and abs(v[0]) > 0.3:
            height = nrgba[..., 3] if v[0] > 0 else 255 - nrgba[..., 3]
        rough = None
        if m['gloss']:
            g = Image.open(m['gloss'])
            if g.size != col.size:
                g = g.resize(col.size, Image.BILINEAR)
            garr = np.asarray(g.convert('RGB')).astype(np.float32)
            rough = np.clip(np.round(255 - garr @ np.array([0.2126, 0.7152, 0.0722], np.float32)), 0, 255).astype(np.uint8)
        c = np.asarray(col)
        name = re.sub(r'[^A-Za-z0-9_]+', '_', os.path.relpath(m['base'], args.root).split('textures/', 1)[-1])
        entry = dict(name=name, split=split, key=key, size=list(col.size), convention='directx' if ysign < 0 else 'opengl',
                     why=why, votes=v, has_height=height is not None, has_rough=rough is not None,
                     colour=os.path.relpath(m['colour'], args.root))
        manifest.append(entry)
        stats[split] += 1
        stats[split + '_rough'] += rough is not None
        stats[split + '_height'] += height is not None
        if split == 'train':
            h, w = c.shape[:2]
            ch, cw = min(h, args.crop), min(w, args.crop)
            y, x = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
            win = lambda a: np.ascontiguousarray(a[y:y + ch, x:x + cw])
            blobs[f'{ti}_c'] = win(c)
            blobs[f'{ti}_n'] = win(normal)
            if height is not None:
                blobs[f'{ti}_h'] = win(height)
            if rough is not None:
                blobs[f'{ti}_r'] = win(rough)
            ti += 1
        else:
            d = os.path.join(root_out, split)
            Image.fromarray(centre_crop(c, 512)).save(os.path.join(d, name + '_color.png'))
            Image.fromarray(centre_crop(normal, 512)).save(os.path.join(d, name + '_normal.png'))
            if rough is not None:
                Image.fromarray(centre_crop(rough, 512)).save(os.path.join(d, name + '_roughness.png'))
            if height is not None:
                Image.fromarray(centre_crop(height, 512)).save(os.path.join(d, name + '_height.png'))
    np.savez(os.path.join(root_out, 'train.npz'), **blobs)
    with open(os.path.join(root_out, 'manifest.json'), 'w') as f:
        json.dump(dict(source='Debian nexuiz-textures (GPL-2+, see /usr/share/doc/nexuiz-textures/copyright)',
                       stats=stats, materials=manifest), f, indent=1)
    print(json.dumps(stats, indent=1), file=sys.stderr)


if __name__ == '__main__':
    main()
