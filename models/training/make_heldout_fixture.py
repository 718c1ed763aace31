#!/usr/bin/env python3
"""Copy a small, fixed selection of held-out textures into fixtures/heldout/ (for `remaster eval fixtures/heldout`).

    python3 models/training/make_heldout_fixture.py models/training/data fixtures/heldout

Selection rule (fixed before looking at any model's per-image result): walk the held-out folders in sorted order,
alternating between the source packages, and take from each the first PNG (alphabetical) that is non-flat (luma std >= 8), has both sides in 128..512 and
is at most 400 KB as PNG; stop at 8 images or 2 MB. Writes LICENSES.md with the source package, file and licence.
"""
import json, os, shutil, sys
import numpy as np
from PIL import Image

LICENCE = {
    'openarena-081-textures': 'GPL-2+ (© 2005-2012 OpenArena Team and others; see /usr/share/doc/openarena-081-textures/copyright)',
    'nexuiz-textures': 'GPL-2+ (© 2002-2009 Alientrap, Lee Vermeulen; see /usr/share/doc/nexuiz-textures/copyright)',
}
VERSION = {'openarena-081-textures': '0.8.5split-14', 'nexuiz-textures': '2.5.2-12'}


def main():
    data, out = sys.argv[1], sys.argv[2]
    man = json.load(open(os.path.join(data, 'manifest.json')))
    held = [it for it in man['items'] if it['split'] == 'heldout']
    by_folder = {}
    for it in sorted(held, key=lambda it: it['heldout_png']):
        by_folder.setdefault(f"{it['pkg']}/{it['folder']}", []).append(it)
    os.makedirs(out, exist_ok=True)
    picked, total = [], 0
    # alternate between the packages: folder 0 of each package, then folder 1 of each, ...
    rank = {}
    for key in sorted(by_folder):
        pkg = key.split('/')[0]
        rank[key] = (sum(k.split('/')[0] == pkg for k in rank), pkg)
    for key in sorted(by_folder, key=lambda k: rank[k]):
        for it in by_folder[key]:
            p = os.path.join(data, 'heldout', it['heldout_png'])
            a = np.asarray(Image.open(p).convert('RGB'))
            y = a.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
            sz = os.path.getsize(p)
            if y.std() < 8 or not (128 <= min(a.shape[:2]) and max(a.shape[:2]) <= 512) or sz > 400_000:
                continue
            if total + sz > 2_000_000:
                continue
            shutil.copy(p, os.path.join(out, it['heldout_png']))
            picked.append((it, a.shape, sz))
            total += sz
            break
        if len(picked) >= 8:
            break
    with open(os.path.join(out, 'LICENSES.md'), 'w') as f:
        f.write('# Held-out evaluation textures\n\n'
                'Textures from the **held-out split** of Remaster\'s SR training data (never trained on; split by\n'
                'texture-set folder, see models/training/prepare_data.py), picked by the fixed rule in\n'
                'models/training/make_heldout_fixture.py, centre-cropped to at most 512x512 and stored as PNG.\n'
                'For `remaster eval fixtures/heldout`. They are data files under their own licence (GPL-2+), not\n'
                'part of Remaster\'s MIT-licensed code.\n\n'
                '| file | size | source package (Debian) | path in package | licence |\n| --- | --- | --- | --- | --- |\n')
        for it, shp, sz in picked:
            f.write(f"| {it['heldout_png']} | {shp[1]}x{shp[0]} | {it['pkg']} {VERSION.get(it['pkg'], '')} | "
                    f"`{it['path']}` | {LICENCE.get(it['pkg'], '?')} |\n")
    print(f'{len(picked)} textures, {total} bytes -> {out}')


if __name__ == '__main__':
    main()
