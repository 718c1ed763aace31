#!/usr/bin/env node
/**
 * Held-out SET 8 for `remaster eval-vary` (defined before it was ever scored, vary10). Sets 1-7 came from
 * nexuiz-textures and openarena-081-textures and are all seen (tuning) data now, and both packages are nearly
 * used up, so set 8 comes from a THIRD package: Debian `cube2-data` (Sauerbraten/BananaBread data; version and
 * licence are read from the package and written to the manifest). Licences per usr/share/doc/cube2-data/copyright:
 * gk/, gor/, materials/, yo_frankie/ and everything not listed: CC-BY-3.0 (Gregor Koch; the Apricot project);
 * textures/water*: CC-BY-SA-3.0 (gor/license_info_img.jpg itself states CC-BY-SA-3.0-DE for the gor set).
 * No package data is committed; OUT is a scratch folder outside git.
 *
 *   node test/vary-data/make-heldout8.js --nexuiz "$(../shared/tools/get-debian-textures.sh nexuiz-textures)" \
 *     --openarena "$(../shared/tools/get-debian-textures.sh openarena-081-textures)" \
 *     "$(../shared/tools/get-debian-textures.sh cube2-data)" vary-heldout8
 *
 * The rule (the same kind of filters as set 7, adapted to this package's layout and names):
 *   1. images (jpg/png/tga) under usr/share/games/cube2/packages that are not maps: stems ending `_nm`, `_sc`,
 *      `_hm`, `_si`, `_gc`, `_nor`, `_spec`, `_dudv`, `_mask`, `_normals` (optionally + `_<resolution>`),
 *      `watern`/`waterfalln`/`*dudv`, and set 1-7's MAP_SUFFIX list;
 *   2. minus what is not a material a texture multiplier is for, by folder/name (notMaterial below): model skins
 *      (`models/`), effect sprites (`particles/`, `caustics/`), editor brushes (`brushes/`), UI and map previews
 *      (`hud/`, `icons/`, `fonts/`, `base/`, `wake/`), skies (`skyboxes/`, `sky` in a folder or stem), foliage
 *      cut-out cards (stems starting `plants_`), and the placeholder/licence images (`notexture`, `license*`);
 *   3. minus files nexuiz-textures or openarena-081-textures also ship (sets 1-7 and every vary tuning set come
 *      from those two): the same bytes, or 16x16 RGB thumbnails within DUP_MAD levels (aspect within 1 %, only
 *      where this package's thumbnail is not near-flat), as set 7;
 *   4. minus in-package copies: the same bytes or the same thumbnail as a LARGER image of this package (the gk
 *      ground set ships each texture at 128..1024 px, and some textures as both .tga and .png), keeping the largest
 *      (ties: the first path);
 *   5. colour textures >= 256 px on both sides whose centre 256x256 crop is not flat (std >= 8 levels), as sets 3-7;
 *      written as that centre crop, with the normal sibling (`<base>_nm` / `<base>_nor`, same size) as `_norm.png`
 *      and the specular sibling (`<base>_sc` / `<base>_spec`, same size, grey) as `_spec.png`, where
 *      `<base>` is the stem without `_cc` / `_col` (a resolution tag `_<n>` carries over);
 *   6. the first 16 by sha1(file name), as sets 1-7. No hand-picking; the manifest records what each group removed.
 *
 * Output: OUT/<folder>__<name>.png (+ _norm.png, _spec.png) and manifest.json.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const sharp = require('sharp');
const { SIZE, DUP_MAD, open, centre, thumbnail, listImages, sha1File } = require('./make-heldout');

const MAX = 16;
const PACKAGE = 'cube2-data';
const DATA = 'usr/share/games/cube2/packages';
const SET7_MAP_SUFFIX = /_(norm|gloss|bump|glow|pants|shirt|reflect|h)$/i;
const MAP_STEM = /_(nm|sc|hm|si|gc|nor|spec|dudv|mask|normals)(_\d+)?$|dudv$|^water(fall)?n$/i;

/** Why a path (relative to the data root, lower case, no extension) is not a material, or undefined. */
function notMaterial(rel) {
  const parts = rel.split('/');
  const stem = parts.pop();
  const top = parts[0];
  if (top === 'models') return 'model skin';
  if (top === 'particles' || top === 'caustics') return 'effect sprite';
  if (top === 'brushes') return 'editor brush';
  if (['hud', 'icons', 'fonts', 'base', 'wake'].includes(top)) return 'UI / map preview';
  if (top === 'skyboxes' || parts.some((d) => d.includes('sky')) || stem.includes('sky')) return 'sky';
  if (stem.startsWith('plants_')) return 'foliage card';
  if (stem === 'notexture' || stem.startsWith('license')) return 'placeholder / licence image';
  return undefined;
}

/** Width x height without decoding (sharp's metadata; TGA from its header, which libvips lacks). */
async function pixels(file) {
  if (file.toLowerCase().endsWith('.tga')) {
    const b = fs.readFileSync(file);
    return { width: b.readUInt16LE(12), height: b.readUInt16LE(14) };
  }
  const m = await sharp(file).metadata();
  return { width: m.width, height: m.height };
}

function sameThumb(a, b) {
  if (Math.abs(a.aspect / b.aspect - 1) > 0.01) return false;
  let d = 0;
  for (let i = 0; i < a.t.length; i++) d += Math.abs(a.t[i] - b.t[i]);
  return d / a.t.length <= DUP_MAD;
}

/** The map sibling of colour texture `f` (same folder, same size) for the given map tags, if any. */
async function sibling(f, tags, size) {
  const stem = path.basename(f).replace(/\.[^.]+$/, '');
  const m = /^(.*)_(cc|col)(_\d+)?$/i.exec(stem);
  if (!m) return undefined;
  const dir = path.dirname(f);
  const names = fs.readdirSync(dir);
  for (const tag of tags) {
    const want = `${m[1]}_${tag}${m[3] || ''}`.toLowerCase();
    const name = names.filter((n) => /\.(png|jpg|tga)$/i.test(n)).find((n) => n.replace(/\.[^.]+$/, '').toLowerCase() === want);
    if (!name) continue;
    const file = path.join(dir, name);
    const s = await pixels(file);
    if (s.width === size.width && s.height === size.height) return file;
  }
  return undefined;
}

function packageVersion(root) {
  const log = path.join(root, 'usr/share/doc', PACKAGE, 'changelog.Debian.gz');
  const first = zlib.gunzipSync(fs.readFileSync(log)).toString('utf8').split('\n')[0];
  return /\(([^)]+)\)/.exec(first)?.[1] ?? 'unknown';
}

async function main() {
  const argv = process.argv.slice(2);
  const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const nexuiz = opt('--nexuiz');
  const openarena = opt('--openarena');
  const [root, out] = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  if (!root || !out || !nexuiz || !openarena) throw new Error('usage: make-heldout8.js --nexuiz NEXUIZ_ROOT --openarena OPENARENA_ROOT CUBE2_DATA_ROOT OUT');
  if (!fs.existsSync(path.join(root, 'usr/share/doc', PACKAGE))) throw new Error(`${root}: set 8 is made from the ${PACKAGE} package folder`);
  if (!fs.existsSync(path.join(nexuiz, 'usr/share/doc/nexuiz-textures'))) throw new Error(`${nexuiz}: --nexuiz must be the nexuiz-textures package folder`);
  if (!fs.existsSync(path.join(openarena, 'usr/share/doc/openarena-081-textures'))) throw new Error(`${openarena}: --openarena must be the openarena-081-textures package folder`);
  const dataRoot = path.join(root, DATA);
  const rel = (f) => path.relative(dataRoot, f).replace(/\\/g, '/').replace(/\.[^./]+$/, '').toLowerCase();

  const removed = new Map();
  const all = listImages(dataRoot).filter((f) => {
    const stem = path.basename(rel(f));
    return !MAP_STEM.test(stem) && !SET7_MAP_SUFFIX.test(stem);
  });
  const candidates = [];
  for (const f of all) {
    const why = notMaterial(rel(f));
    if (why) removed.set(f, why);
    else candidates.push(f);
  }

  // 3. Files the earlier packages ship.
  const older = [...listImages(nexuiz), ...listImages(openarena)];
  const olderBytes = new Set(older.map(sha1File));
  const olderThumbs = [];
  for (const f of older) {
    try { olderThumbs.push(await thumbnail(f)); } catch { /* unreadable: cannot match */ }
  }
  // 4. In-package copies: largest first, so a copy is removed in favour of the biggest version.
  const sized = [];
  for (const f of candidates) {
    let s;
    try { s = await pixels(f); } catch { s = { width: 0, height: 0 }; }
    sized.push({ f, n: s.width * s.height });
  }
  sized.sort((a, b) => b.n - a.n || a.f.localeCompare(b.f));
  const keptBytes = new Set();
  const keptThumbs = [];
  for (const { f } of sized) {
    const bytes = sha1File(f);
    let th;
    try { th = await thumbnail(f); } catch { th = undefined; }
    let why;
    if (olderBytes.has(bytes)) why = 'nexuiz/openarena: same bytes';
    else if (th && th.std >= 8 && olderThumbs.some((o) => sameThumb(th, o))) why = 'nexuiz/openarena: same content (thumbnail)';
    else if (keptBytes.has(bytes)) why = 'in-package copy: same bytes';
    else if (th && th.std >= 8 && keptThumbs.some((k) => sameThumb(th, k))) why = 'in-package copy: same content (thumbnail)';
    if (why) { removed.set(f, why); continue; }
    keptBytes.add(bytes);
    if (th && th.std >= 8) keptThumbs.push(th);
  }

  // 5-6. Size and flatness, first 16 by sha1(file name).
  const pool = candidates.filter((f) => !removed.has(f));
  pool.sort((a, b) => crypto.createHash('sha1').update(path.basename(a)).digest('hex').localeCompare(crypto.createHash('sha1').update(path.basename(b)).digest('hex')));
  fs.mkdirSync(out, { recursive: true });
  const items = [];
  let small = 0, flat = 0;
  for (const f of pool) {
    if (items.length >= MAX) break;
    try {
      const size = await pixels(f);
      const col = await centre(f, 3);
      if (!col) { small++; continue; }
      const { data } = await col.clone().raw().toBuffer({ resolveWithObject: true });
      let m = 0, s = 0;
      for (const v of data) { m += v; s += v * v; }
      m /= data.length;
      if (Math.sqrt(s / data.length - m * m) < 8) { flat++; continue; }
      const norm = await sibling(f, ['nm', 'nor'], size);
      const spec = await sibling(f, ['sc', 'spec'], size);
      const base = `${path.basename(path.dirname(f))}__${path.basename(f).replace(/\.[^.]+$/, '')}`;
      const entry = { texture: `${base}.png`, source: path.relative(root, f) };
      await col.toFile(path.join(out, entry.texture));
      if (norm) { entry.normal = `${base}_norm.png`; await (await centre(norm, 3)).toFile(path.join(out, entry.normal)); }
      if (spec) { entry.spec = `${base}_spec.png`; await (await centre(spec, 1)).toFile(path.join(out, entry.spec)); }
      items.push(entry);
    } catch (err) {
      process.stderr.write(`skip ${f}: ${err.message}\n`);
    }
  }
  const removedCounts = {};
  for (const why of removed.values()) removedCounts[why] = (removedCounts[why] || 0) + 1;
  const manifest = {
    package: `${PACKAGE} ${packageVersion(root)} (Debian)`,
    licence: 'CC-BY-3.0 (gk/, gor/, materials/, yo_frankie/, and the default), CC-BY-SA-3.0 (textures/water*); usr/share/doc/cube2-data/copyright in the package',
    rule: 'SET 8 (fresh, vary10): Debian cube2-data, colour textures (not _nm/_sc/_hm/... maps), minus model skins, effect sprites, editor brushes, UI/map previews, skies, foliage cards, placeholder/licence images; minus files nexuiz-textures or openarena-081-textures ship (same bytes or 16x16 thumbnails within 2 levels); minus in-package copies of a larger image; >= 256 px, centre 256x256 not flat; first 16 by sha1(file name)',
    candidates: all.length,
    removed: removedCounts,
    pool: pool.length,
    skippedWhilePicking: { 'under 256 px': small, flat },
    items,
  };
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 1));
  process.stdout.write(`${items.length} textures -> ${out} (pool ${pool.length})\n`);
}
main().catch((e) => { process.stderr.write(`${e.message}\n`); process.exit(1); });
