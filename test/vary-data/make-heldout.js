#!/usr/bin/env node
/**
 * Held-out set for `remaster eval-vary`: real game textures from the Debian package `nexuiz-textures`
 * (GPL-2+; licence in usr/share/doc/nexuiz-textures/copyright inside the package), chosen by the SAME
 * fixed rule as the super-resolution held-out split (models/training/prepare_data.py): a texture-set
 * folder is held out when sha1(lower-case folder name) mod 100 < 10. From those folders: every colour
 * texture (not a _norm/_gloss/_bump/_glow/... map) at least 256 px on both sides whose centre crop is not
 * flat, centre-cropped to 256x256, with its `_norm` (normal) and `_gloss` (data) siblings when present.
 * At most MAX textures, in order of sha1(file name), so no hand-picking. Nothing here was tuned on.
 *
 *   node test/vary-data/make-heldout.js "$(../shared/tools/get-debian-textures.sh nexuiz-textures)" vary-heldout
 *   node test/vary-data/make-heldout.js --tune 40 "$(../shared/tools/get-debian-textures.sh nexuiz-textures)" vary-tune   # complement, for tuning
 *   node test/vary-data/make-heldout.js --set 2 "$(../shared/tools/get-debian-textures.sh nexuiz-textures)" vary-heldout2  # held-out set 2 (scored by vary3)
 *   node test/vary-data/make-heldout.js --set 3 "$(../shared/tools/get-debian-textures.sh nexuiz-textures)" vary-heldout3  # held-out set 3 (scored by vary4)
 *   node test/vary-data/make-heldout.js --set 4 "$(../shared/tools/get-debian-textures.sh nexuiz-textures)" vary-heldout4  # held-out set 4 (scored by vary5)
 *   node test/vary-data/make-heldout.js --set 5 "$(../shared/tools/get-debian-textures.sh nexuiz-textures)" vary-heldout5  # held-out set 5 (scored by vary6)
 *   node test/vary-data/make-heldout.js --set 6 "$(../shared/tools/get-debian-textures.sh openarena-081-textures)" vary-heldout6  # FRESH set 6 (another package)
 *   node test/vary-data/make-heldout.js --set 7 --nexuiz "$(../shared/tools/get-debian-textures.sh nexuiz-textures)" "$(../shared/tools/get-debian-textures.sh openarena-081-textures)" vary-heldout7  # FRESH set 7 (vary8)
 *   (set 8, from another package, cube2-data: test/vary-data/make-heldout8.js)
 *
 * `--set 2` (defined before it was ever scored, vary3): the same held-out folders and filters, but only colour
 * textures that HAVE a `_norm` or `_gloss` sibling and are NOT among set 1's 16 (set 1 was scored several times
 * while tuning, so it is contaminated); first 16 by sha1(file name). Disjoint from set 1 by construction and
 * from every tuning set (those come from the other folders).
 *
 * `--set 3` (defined before it was ever scored, vary4): the same held-out folders and filters (siblings NOT
 * required), colour textures that are in neither set 1 nor set 2 (both scored, so contaminated); first 16 by
 * sha1(file name). Disjoint from sets 1 and 2 by construction, and from every tuning set (other folders).
 *
 * `--set 4` (defined before it was ever scored, vary5): the same held-out folders and filters as set 3 (siblings
 * NOT required), colour textures in none of sets 1, 2 and 3 (all three scored, so seen); first 16 by
 * sha1(file name). Disjoint from sets 1-3 by construction, and from every tuning set (other folders).
 *
 * `--set 5` (defined before it was ever scored, vary6): the same held-out folders and filters as sets 3 and 4
 * (siblings NOT required), colour textures in none of sets 1-4 (all four scored, so seen); first 16 by sha1(file
 * name), or all that remain if fewer qualify (the count is printed). Disjoint from sets 1-4 by construction, and
 * from every tuning set (other folders).
 *
 * `--set 6` (defined before it was ever scored, vary7): the nexuiz held-out folders are exhausted (set 5 took the
 * last 11), so set 6 comes from ANOTHER package: Debian `openarena-081-textures` (GPL-2+; licence in
 * usr/share/doc/openarena-081-textures/copyright), which vary never tuned or scored on (every vary tuning set
 * came from nexuiz's non-held-out folders, `--tune 40` / `--tune 60`; only the style-transfer work, issue 12,
 * used openarena, and vary's code does not depend on theirs). PACKAGE_ROOT is that package's folder. Every
 * folder of the package (no folder rule, no folder excluded), the same filters as sets 3-5: colour textures
 * (not a _norm/_gloss/... map) >= 256 px on both sides, centre crop not flat, centre 256x256, `_norm`/`_gloss`
 * siblings when present (siblings NOT required); first 16 by sha1(file name).
 *
 * `--set 7` (defined before it was ever scored, vary8): openarena-081-textures again, the same filters as set 6,
 * minus three groups, decided before anything was scored on it:
 *   1. files nexuiz-textures also ships (`--nexuiz NEXUIZ_ROOT`; vary tuned on nexuiz, and set 6 found two of its
 *      tuning textures re-encoded in openarena): byte-identical files; the same texture path (folder/stem, any
 *      extension, case-insensitive); or the same decoded content — 16x16 RGB thumbnails (sharp's fill resize)
 *      within a mean absolute difference of DUP_MAD levels, aspect ratios within 1 %, judged only where the
 *      openarena thumbnail is not near-flat (std >= 8 levels: flat thumbnails all match each other);
 *   2. set 6's picks (set 6 is scored, so seen), and any file byte-identical to an earlier-listed openarena file
 *      (set 6 drew kc_fogcloud3 twice from two folders);
 *   3. categories that are not materials a texture multiplier is for, by folder/name (notMaterial below):
 *      sky boxes and skies (the `env/` tree, folders whose name contains `sky` or `skies`, stems containing `sky`, which also takes base_floor skylights), fog (`fog` in
 *      folder or stem), logos / insignia / decals (`logo`, `banner`, `decal`, `symbol` in folder or stem; stems
 *      ending `sign`, `blueteam`/`redteam` (+digits); `flag_` stems), and effect sprites (folder `flares`, folder `130boom`,
 *      stems containing `flare`, `flame` or `explosion`). Light fixtures, trims and designed panels stay in.
 * Then the first 16 by sha1(file name), as before. The manifest records the counts each group removed.
 *
 * Output: OUT/<folder>__<name>.png (+ _norm.png, _gloss.png) and manifest.json.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const sharp = require('sharp');

const SIZE = 256;
// `--tune [N]`: the complement (folders NOT held out, first N by sha1(file name)) for tuning, never scored as held-out.
const TUNE = process.argv.indexOf('--tune');
const MAX = TUNE >= 0 ? Number(process.argv[TUNE + 1]) || 40 : 16;
// `--set 2` .. `--set 5`: the later held-out sets (see above).
const SET_ARG = process.argv.indexOf('--set');
const SET = SET_ARG >= 0 ? Number(process.argv[SET_ARG + 1]) : 1;
const MAP_SUFFIX = /_(norm|gloss|bump|glow|pants|shirt|reflect|h)$/i;
// Set 7: `--nexuiz DIR`, the nexuiz-textures package folder whose files are left out.
const NEXUIZ_ARG = process.argv.indexOf('--nexuiz');
const NEXUIZ = NEXUIZ_ARG >= 0 ? process.argv[NEXUIZ_ARG + 1] : undefined;
/** Set 7: largest mean absolute difference (0..255) of two 16x16 RGB thumbnails that counts as the same content. */
const DUP_MAD = 2;
/**
 * Set 7: what is not a material a multiplier varies (sky boxes, fog, logos / insignia / decals, effect sprites),
 * by the file's path relative to the package's texture root (lower case, no extension).
 */
function notMaterial(rel) {
  const parts = rel.split('/');
  const stem = parts.pop();
  const folders = parts;
  if (folders.includes('env') || folders.some((d) => /sky|skies/.test(d)) || stem.includes('sky')) return 'sky';
  if (folders.some((d) => d.includes('fog')) || stem.includes('fog')) return 'fog';
  if ([...folders, stem].some((p) => /logo|banner|decal|symbol/.test(p)) || /sign$|(blue|red)team\d*$|^flag_/.test(stem)) return 'logo/decal';
  if (folders.includes('flares') || folders.includes('130boom') || /flare|flame|explosion/.test(stem)) return 'effect sprite';
  return undefined;
}

/** Minimal TGA reader (types 2/3 uncompressed, 10/11 RLE; 8/24/32 bit), which libvips lacks. */
function readTga(file) {
  const b = fs.readFileSync(file);
  const idLen = b[0], cmapType = b[1], type = b[2];
  const w = b.readUInt16LE(12), h = b.readUInt16LE(14), bpp = b[16], desc = b[17];
  if (cmapType !== 0 || ![2, 3, 10, 11].includes(type)) throw new Error(`unsupported TGA type ${type}`);
  const ch = bpp / 8;
  const cmapLen = b.readUInt16LE(5) * Math.ceil(b[7] / 8);
  let p = 18 + idLen + cmapLen;
  const raw = Buffer.alloc(w * h * ch);
  if (type === 2 || type === 3) raw.set(b.subarray(p, p + raw.length));
  else {
    let o = 0;
    while (o < raw.length) {
      const hdr = b[p++];
      const n = (hdr & 0x7f) + 1;
      if (hdr & 0x80) { const px = b.subarray(p, p + ch); p += ch; for (let i = 0; i < n; i++, o += ch) raw.set(px, o); }
      else { raw.set(b.subarray(p, p + n * ch), o); p += n * ch; o += n * ch; }
    }
  }
  const out = Buffer.alloc(w * h * ch);
  const topDown = (desc & 0x20) !== 0;
  for (let y = 0; y < h; y++) {
    const sy = topDown ? y : h - 1 - y;
    for (let x = 0; x < w; x++) {
      const s = (sy * w + x) * ch, d = (y * w + x) * ch;
      if (ch >= 3) { out[d] = raw[s + 2]; out[d + 1] = raw[s + 1]; out[d + 2] = raw[s]; if (ch === 4) out[d + 3] = raw[s + 3]; }
      else out[d] = raw[s];
    }
  }
  return sharp(out, { raw: { width: w, height: h, channels: ch } });
}

function open(file) {
  return file.toLowerCase().endsWith('.tga') ? readTga(file) : sharp(file);
}

async function centre(file, channels) {
  const img = open(file);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (Math.min(info.width, info.height) < SIZE) return undefined;
  const l = (info.width - SIZE) >> 1, t = (info.height - SIZE) >> 1;
  let s = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).extract({ left: l, top: t, width: SIZE, height: SIZE });
  s = channels === 1 ? s.toColourspace('b-w') : s.removeAlpha();
  return s.png();
}

/**
 * Whether `f` qualifies (>= SIZE, not flat; with `needSibling`, a `_norm` or `_gloss` sibling) and, if so,
 * how to write it (colour + siblings, centre crops) into OUT.
 */
async function select(f, root, byStem, needSibling) {
  const folder = path.basename(path.dirname(f));
  const stem = path.basename(f).replace(/\.[^.]+$/, '');
  try {
    const sib = (suffix) => byStem.get(f.replace(/\.[^.]+$/, '').toLowerCase() + suffix);
    const norm = sib('_norm');
    const gloss = sib('_gloss');
    if (needSibling && !norm && !gloss) return undefined;
    const col = await centre(f, 3);
    if (!col) return undefined;
    const { data } = await col.clone().raw().toBuffer({ resolveWithObject: true });
    let m = 0, s = 0;
    for (const v of data) { m += v; s += v * v; }
    m /= data.length;
    if (Math.sqrt(s / data.length - m * m) < 8) return undefined;
    const nImg = norm && (await centre(norm, 3));
    const gImg = gloss && (await centre(gloss, 1));
    if (needSibling && !nImg && !gImg) return undefined;
    const base = `${folder}__${stem}`;
    return {
      write: async (out) => {
        const entry = { texture: `${base}.png`, source: path.relative(root, f) };
        await col.toFile(path.join(out, entry.texture));
        if (nImg) { entry.normal = `${base}_norm.png`; await nImg.toFile(path.join(out, entry.normal)); }
        if (gImg) { entry.gloss = `${base}_gloss.png`; await gImg.toFile(path.join(out, entry.gloss)); }
        return entry;
      },
    };
  } catch (err) {
    process.stderr.write(`skip ${f}: ${err.message}\n`);
    return undefined;
  }
}

/** 16x16 RGB thumbnail (and size) of an image file, for set 7's duplicate test. */
async function thumbnail(file) {
  const { data, info } = await open(file).raw().toBuffer({ resolveWithObject: true });
  const t = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).removeAlpha().resize(16, 16, { fit: 'fill' }).raw().toBuffer();
  let m = 0, s = 0;
  for (const v of t) { m += v; s += v * v; }
  m /= t.length;
  return { t, aspect: info.width / info.height, std: Math.sqrt(Math.max(0, s / t.length - m * m)) };
}

function listImages(root) {
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (/\.(tga|jpg|png)$/i.test(e.name)) files.push(f);
    }
  };
  walk(root);
  return files;
}

const sha1File = (f) => crypto.createHash('sha1').update(fs.readFileSync(f)).digest('hex');
/** Texture path below a package's `textures`/`env` root: folder/stem, lower case, no extension. */
const texturePath = (f) => f.replace(/\\/g, '/').replace(/^.*?\/(textures|env)\//, (m, top) => (top === 'env' ? 'env/' : '')).replace(/^textures\//, '').replace(/\.[^./]+$/, '').toLowerCase();

/**
 * Set 7's removals: returns a predicate `removed(f)` giving the reason a candidate is left out (or undefined).
 * Nexuiz thumbnails are computed once (every image of the package; about a minute).
 */
async function set7Rule(candidates) {
  if (!NEXUIZ || !fs.existsSync(NEXUIZ)) throw new Error('set 7 needs --nexuiz NEXUIZ_ROOT (the nexuiz-textures package folder)');
  const nexFiles = listImages(NEXUIZ);
  const nexBytes = new Set(nexFiles.map(sha1File));
  const nexPaths = new Set(nexFiles.map(texturePath));
  const nexThumbs = [];
  for (const f of nexFiles) {
    try { nexThumbs.push(await thumbnail(f)); } catch { /* unreadable: cannot match */ }
  }
  const seenBytes = new Set();
  const reasons = new Map();
  for (const f of candidates) {
    const bytes = sha1File(f);
    let why = notMaterial(texturePath(f));
    if (!why && seenBytes.has(bytes)) why = 'same bytes as another openarena file';
    seenBytes.add(bytes);
    if (!why && nexBytes.has(bytes)) why = 'nexuiz: same bytes';
    if (!why && nexPaths.has(texturePath(f))) why = 'nexuiz: same texture path';
    if (!why) {
      let th;
      try { th = await thumbnail(f); } catch { th = undefined; }
      if (th && th.std >= 8) {
        for (const n of nexThumbs) {
          if (Math.abs(n.aspect / th.aspect - 1) > 0.01) continue;
          let d = 0;
          for (let i = 0; i < th.t.length; i++) d += Math.abs(th.t[i] - n.t[i]);
          if (d / th.t.length <= DUP_MAD) { why = 'nexuiz: same content (thumbnail)'; break; }
        }
      }
    }
    if (why) reasons.set(f, why);
  }
  return reasons;
}

async function main() {
  const flag = (a) => a === '--tune' || a === '--set' || a === '--nexuiz';
  const [root, out] = process.argv.slice(2).filter((a, i, all) => !flag(a) && !flag(all[i - 1]));
  if (![1, 2, 3, 4, 5, 6, 7].includes(SET)) throw new Error('--set must be 1, 2, 3, 4, 5, 6 or 7');
  if (!root || !out) throw new Error('usage: make-heldout.js PACKAGE_ROOT OUT');
  if (SET >= 6 && !fs.existsSync(path.join(root, 'usr/share/doc/openarena-081-textures'))) throw new Error(`${root}: sets 6 and 7 are made from the openarena-081-textures package folder`);
  fs.mkdirSync(out, { recursive: true });
  const candidates = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (/\.(tga|jpg|png)$/i.test(e.name)) candidates.push(f);
    }
  };
  walk(root);
  const byStem = new Map(candidates.map((f) => [f.replace(/\.[^.]+$/, '').toLowerCase(), f]));
  const held = candidates.filter((f) => {
    const folder = path.basename(path.dirname(f));
    const stem = path.basename(f).replace(/\.[^.]+$/, '');
    // sha1 mod 100 from the full 160-bit value, as Python computes it
    const mod = BigInt('0x' + crypto.createHash('sha1').update(folder.toLowerCase()).digest('hex')) % 100n;
    // Sets 6 and 7 are another package (openarena): every folder; the nexuiz sets use the folder rule.
    return (SET >= 6 || (TUNE >= 0 ? mod >= 10n : mod < 10n)) && !MAP_SUFFIX.test(stem);
  });
  held.sort((a, b) => crypto.createHash('sha1').update(path.basename(a)).digest('hex').localeCompare(crypto.createHash('sha1').update(path.basename(b)).digest('hex')));
  const items = [];
  // Later sets replay the earlier sets' picks only to know what to skip: pass k picks set k (set 2 needs a sibling).
  const earlier = new Set();
  // Set 6 is another package: nothing of sets 1-5 can be in it, so its one pass is set 6 itself; set 7 replays set 6.
  const removed = SET === 7 ? await set7Rule(held) : new Map();
  const removedCounts = {};
  for (const why of removed.values()) removedCounts[why] = (removedCounts[why] || 0) + 1;
  for (const pass of TUNE >= 0 ? [1] : SET === 6 ? [6] : SET === 7 ? [6, 7] : Array.from({ length: SET }, (_, i) => i + 1)) {
    let picked = 0;
    for (const f of held) {
      if (picked >= MAX) break;
      if (earlier.has(f)) continue;
      if (pass === 7 && removed.has(f)) continue;
      const got = await select(f, root, byStem, pass === 2);
      if (!got) continue;
      picked++;
      if (pass < SET) { earlier.add(f); continue; }
      items.push(await got.write(out));
    }
  }
  const manifest = SET === 7 ? {
    package: 'openarena-081-textures (Debian)',
    licence: 'GPL-2+ (usr/share/doc/openarena-081-textures/copyright in the package)',
    rule: 'SET 7 (fresh, vary8): Debian openarena-081-textures, every folder, minus files nexuiz-textures also ships (same bytes, same texture path, or 16x16 thumbnails within 2 levels), minus set 6 picks and in-package byte duplicates, minus sky / fog / logo-decal / effect-sprite names; colour textures >= 256 px, not flat; centre 256x256; first 16 by sha1(file name)',
    removed: removedCounts,
    items,
  } : {
    package: SET === 6 ? 'openarena-081-textures (Debian)' : 'nexuiz-textures (Debian)',
    licence: SET === 6 ? 'GPL-2+ (usr/share/doc/openarena-081-textures/copyright in the package)' : 'GPL-2+ (usr/share/doc/nexuiz-textures/copyright in the package)',
    rule: SET === 6 ? 'SET 6 (fresh, vary7): Debian openarena-081-textures, every folder; colour textures >= 256 px, not flat; centre 256x256; first 16 by sha1(file name)' : TUNE >= 0 ? `TUNING set (not held out): folders with sha1(folder) mod 100 >= 10; otherwise as the held-out rule, first ${MAX}` : SET === 5 ? 'SET 5 (fresh, vary6): folders with sha1(folder) mod 100 < 10; colour textures >= 256 px, not flat, in none of sets 1, 2, 3, 4; centre 256x256; first 16 by sha1(file name) (fewer if fewer remain)' : SET === 4 ? 'SET 4 (fresh, vary5): folders with sha1(folder) mod 100 < 10; colour textures >= 256 px, not flat, in none of sets 1, 2, 3; centre 256x256; first 16 by sha1(file name)' : SET === 3 ? 'SET 3 (fresh, vary4): folders with sha1(folder) mod 100 < 10; colour textures >= 256 px, not flat, in neither set 1 nor set 2; centre 256x256; first 16 by sha1(file name)' : SET === 2 ? 'SET 2 (fresh): folders with sha1(folder) mod 100 < 10; colour textures >= 256 px, not flat, with a _norm or _gloss sibling, not in set 1; centre 256x256; first 16 by sha1(file name)' : 'folders with sha1(folder) mod 100 < 10 (as models/training/prepare_data.py); colour textures >= 256 px, not flat; centre 256x256; first 16 by sha1(file name)',
    items,
  };
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 1));
  process.stdout.write(`${items.length} textures -> ${out}\n`);
}
// Set 8 (make-heldout8.js) reuses the readers and the thumbnail test.
module.exports = { SIZE, DUP_MAD, open, centre, thumbnail, listImages, sha1File };
if (require.main === module) main().catch((e) => { process.stderr.write(`${e.message}\n`); process.exit(1); });
