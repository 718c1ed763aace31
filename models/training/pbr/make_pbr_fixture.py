"""Copies a small, fixed set of HELD-OUT colour/normal/roughness/height quadruples to fixtures/pbr-heldout/
(for the tests: heuristic vs CNN on data neither was trained or tuned on), with LICENSES.md.

Rule: among held-out materials whose colour is at least 128x128 and whose normal map is not flat
(mean angle from +Z over 3 degrees), the first 3 by name that have a roughness map and the first 3 that
do not; each centre-cropped to 128x128.

  python3 models/training/pbr/make_pbr_fixture.py models/training/data/pbr fixtures/pbr-heldout
"""
import json, os, sys
import numpy as np
from PIL import Image

data, out = sys.argv[1], sys.argv[2]
manifest = json.load(open(os.path.join(data, 'manifest.json')))
held = sorted((m for m in manifest['materials'] if m['split'] == 'heldout'), key=lambda m: m['name'])
SIDE = 128


def crop(a):
    h, w = a.shape[:2]
    y, x = (h - SIDE) // 2, (w - SIDE) // 2
    return a[y:y + SIDE, x:x + SIDE]


def usable(m):
    d = os.path.join(data, 'heldout', m['name'])
    if not os.path.exists(d + '_color.png'):
        return False
    c = Image.open(d + '_color.png')
    if min(c.size) < SIDE:
        return False
    n = crop(np.asarray(Image.open(d + '_normal.png').convert('RGB')).astype(np.float32) / 127.5 - 1)
    n /= np.linalg.norm(n, axis=-1, keepdims=True) + 1e-6
    return np.degrees(np.arccos(np.clip(n[..., 2], -1, 1))).mean() > 3


with_r = [m for m in held if m['has_rough'] and usable(m)][:3]
without = [m for m in held if not m['has_rough'] and usable(m)][:3]
os.makedirs(out, exist_ok=True)
rows = []
for m in with_r + without:
    src = os.path.join(data, 'heldout', m['name'])
    for part in ('color', 'normal', 'roughness', 'height'):
        f = f'{src}_{part}.png'
        if os.path.exists(f):
            Image.fromarray(crop(np.asarray(Image.open(f)))).save(os.path.join(out, f"{m['name']}_{part}.png"))
    rows.append(f"| {m['name']} | `{m['colour']}` (+ `_norm`{', `_gloss`' if m['has_rough'] else ''}) | {m['convention']} ({m['why']}) |")
with open(os.path.join(out, 'LICENSES.md'), 'w') as f:
    f.write(f"""# Held-out PBR fixture

Six materials from the **held-out split** of Remaster's PBR data (split by texture-set folder,
sha1(folder) mod 100 < 10, as in models/training/README.md; never trained or tuned on), picked by the
fixed rule in models/training/pbr/make_pbr_fixture.py, centre-cropped to {SIDE}x{SIDE}:
`<name>_color.png` (the game's colour map), `<name>_normal.png` (its `_norm` map converted to the glTF
convention, +Y up), `<name>_roughness.png` (1 - luminance of its `_gloss` map, where it has one) and
`<name>_height.png` (its `_norm` alpha height, where it has one).

Source: Debian package `nexuiz-textures` 2.5.2-12, paths below relative to the package root.
Licence: GPL-2+ (Nexuiz is © 2002-2009 Alientrap, Lee Vermeulen; see /usr/share/doc/nexuiz-textures/copyright
in the package). These are data files under their own licence, not part of Remaster's MIT-licensed code.

| name | source | normal-map convention in the package (how decided) |
| --- | --- | --- |
""" + '\n'.join(rows) + '\n')
print('\n'.join(rows))
