#!/usr/bin/env node
/**
 * Held-out SET 9 for `remaster eval-vary` (defined before it was ever scored, vary11). Sets 1-8 came from
 * nexuiz-textures, openarena-081-textures and cube2-data and are all seen (tuning) data now, so set 9 comes from
 * two OTHER Debian packages whose texture folders hold tiling ground materials at 256 px and more:
 *   - `extremetuxracer-data` (Extreme Tux Racer; terrains: snow, ice, rock, grass, pavement, ...): GPL-2+;
 *   - `scorched3d-data` (Scorched 3D; landscape textures: ground, rock, sand, shore, ...): GPL-2+, the
 *     `globalmods/apoc/` mod CC-BY-SA-3 (usr/share/doc/<package>/copyright in each package).
 * Versions are read from the packages and written to the manifest. No package data is committed; OUT is a
 * scratch folder outside git.
 *
 *   node test/vary-data/make-heldout9.js \
 *     --older "$(../shared/tools/get-debian-textures.sh nexuiz-textures)" \
 *     --older "$(../shared/tools/get-debian-textures.sh openarena-081-textures)" \
 *     --older "$(../shared/tools/get-debian-textures.sh cube2-data)" \
 *     --etr "$(../shared/tools/get-debian-textures.sh extremetuxracer-data)" \
 *     --scorched "$(../shared/tools/get-debian-textures.sh scorched3d-data)" vary-heldout9
 *
 * The rule:
 *   1. candidates: ETR `usr/share/games/etr/terrains/*` and Scorched 3D
 *      `usr/share/games/scorched3d/data/globalmods/<mod>/data/textures/landscape/<landscape>/*` (png/jpg/tga);
 *   2. minus maps and what is not a material, by stem: map suffixes of every package used so far and the usual
 *      ones (MAP_STEM: normal `_n _nm _nor _norm _normal _normals _bump`, height `_h _hm _height _disp`,
 *      specular/gloss `_s _sc _spec _specular _gloss _rough`, glow/emissive `_gm _glow _glowmap _em _emit
 *      _emissive _luma _fb _fullbright _illum`, masks `_mask _alpha _a`, shirt/pants colour masks, `_reflect`,
 *      `_dudv`, `normal_map`), Scorched 3D's sky and overlay images (`cloud*`, `cubemap`, `stars`: sky, cloud
 *      masks, the water's reflection map; `detail*`: grey detail overlays);
 *   3. minus anything in sets 1-8: (a) by name, a stem equal to the name of a texture in a committed set 1-8
 *      table (`test/vary-data/eval-vary-heldout*.txt`, the part after `__`) or set 8's manifest; (b) by content,
 *      the same bytes or a 16x16 RGB thumbnail within DUP_MAD levels (aspect within 1 %, where this thumbnail is
 *      not near-flat) as any image of the packages sets 1-8 were drawn from (`--older`, a superset of the sets);
 *   4. minus copies inside the pool (same bytes or thumbnail as an earlier candidate, largest first; ties: path);
 *   5. >= 256 px on both sides; written as the centre 256x256 crop (as sets 3-8), which must not be FLAT: flat
 *      means every colour channel's own standard deviation is < 8 levels (sets 1-8 pooled R, G and B into one
 *      spread, so a single flat colour, whose channels differ from each other, passed: set 8's
 *      `glow_color_box_01_cc`);
 *   6. the first 16 by sha1("<package>/<path in package>"). No hand-picking; the manifest records what each step
 *      removed. The packages ship no per-texture normal or data maps, so set 9 is colour only.
 *
 * Output: OUT/<etr|s3d>-<folder>__<name>.png and manifest.json.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { SIZE, DUP_MAD, open, centre, thumbnail, listImages, sha1File } = require('./make-heldout');

const MAX = 16;
const FLAT_STD = 8;
const MAP_STEM =
  /_(n|nm|nor|norm|normal|normals|bump|h|hm|height|disp|s|sc|spec|specular|gloss|rough|gm|glow|glowmap|em|emit|emissive|luma|fb|fullbright|illum|mask|alpha|a|pants|shirt|reflect|dudv)(_\d+)?$|^normal_?map$/i;
const NOT_MATERIAL = /^(cloud|cubemap$|stars$|detail)/i;

const SOURCES = [
  { key: 'etr', package: 'extremetuxracer-data', licence: 'GPL-2+', dirs: (root) => [path.join(root, 'usr/share/games/etr/terrains')] },
  {
    key: 's3d',
    package: 'scorched3d-data',
    licence: 'GPL-2+ (data/globalmods/apoc/: CC-BY-SA-3)',
    dirs: (root) => {
      const mods = path.join(root, 'usr/share/games/scorched3d/data/globalmods');
      return fs.readdirSync(mods).sort().map((m) => path.join(mods, m, 'data/textures/landscape')).filter((d) => fs.existsSync(d));
    },
  },
];

function packageVersion(root, pkg) {
  const log = path.join(root, 'usr/share/doc', pkg, 'changelog.Debian.gz');
  const first = zlib.gunzipSync(fs.readFileSync(log)).toString('utf8').split('\n')[0];
  return /\(([^)]+)\)/.exec(first)?.[1] ?? 'unknown';
}

/** Names of the textures in sets 1-8 (lower case stems, the part after `<folder>__`), from the committed tables. */
function earlierNames() {
  const here = __dirname;
  const names = new Set();
  const add = (file) => {
    const stem = file.replace(/\.[^.]+$/, '').toLowerCase();
    names.add(stem.includes('__') ? stem.split('__').pop() : stem);
  };
  // Sets 1-8 only (`eval-vary-heldout.txt` is set 1): read at HEAD, later sets' tables would drop set 9's own picks
  // (and set 10's, whose rule calls this too and takes set 9's names from its manifest).
  const setOf = (n) => Number(/^eval-vary-heldout(\d*)/.exec(n)[1] || 1);
  for (const f of fs.readdirSync(here).filter((n) => /^eval-vary-heldout\d*(-.*)?\.txt$/.test(n) && setOf(n) <= 8)) {
    for (const line of fs.readFileSync(path.join(here, f), 'utf8').split('\n')) {
      const m = /^(\S+\.(?:png|jpe?g|tga)) \d+x\d+ \[/.exec(line);
      if (m) add(m[1]);
    }
  }
  const m8 = path.join(here, 'heldout8-manifest.json');
  if (fs.existsSync(m8)) for (const it of JSON.parse(fs.readFileSync(m8, 'utf8')).items) add(it.texture);
  return names;
}

function sameThumb(a, b) {
  if (Math.abs(a.aspect / b.aspect - 1) > 0.01) return false;
  let d = 0;
  for (let i = 0; i < a.t.length; i++) d += Math.abs(a.t[i] - b.t[i]);
  return d / a.t.length <= DUP_MAD;
}

/** Largest standard deviation of one colour channel (RGB, interleaved 3 channels). */
function maxChannelStd(data) {
  let best = 0;
  for (let c = 0; c < 3; c++) {
    let m = 0, s = 0, n = 0;
    for (let i = c; i < data.length; i += 3, n++) { m += data[i]; s += data[i] * data[i]; }
    m /= n;
    best = Math.max(best, Math.sqrt(Math.max(0, s / n - m * m)));
  }
  return best;
}

/**
 * Steps 3b-4 of sets 9 and 10: drop a candidate whose bytes, or whose 16x16 thumbnail (where not near-flat), match
 * an image of the earlier sets' packages (`olderFiles`), then copies inside the pool, largest first (ties: path).
 * `why(file, reason)` records each drop; `label` names the earlier sets in the reasons.
 */
async function distinctPool(sized, olderFiles, why, label) {
  const olderBytes = new Set(olderFiles.map(sha1File));
  const olderThumbs = [];
  for (const f of olderFiles) {
    try { olderThumbs.push(await thumbnail(f)); } catch { /* unreadable: cannot match */ }
  }
  sized.sort((a, b) => b.n - a.n || a.rel.localeCompare(b.rel));
  const keptBytes = new Set();
  const keptThumbs = [];
  const pool = [];
  for (const c of sized) {
    const bytes = sha1File(c.f);
    let th;
    try { th = await thumbnail(c.f); } catch { th = undefined; }
    let reason;
    if (olderBytes.has(bytes)) reason = `${label} packages: same bytes`;
    else if (th && th.std >= 8 && olderThumbs.some((o) => sameThumb(th, o))) reason = `${label} packages: same content (thumbnail)`;
    else if (keptBytes.has(bytes)) reason = 'copy in the pool: same bytes';
    else if (th && th.std >= 8 && keptThumbs.some((k) => sameThumb(th, k))) reason = 'copy in the pool: same content (thumbnail)';
    if (reason) { why(c.f, reason); continue; }
    keptBytes.add(bytes);
    if (th && th.std >= 8) keptThumbs.push(th);
    pool.push(c);
  }
  return pool;
}

/** Command line of sets 9 and 10: repeated `--older DIR`, other `--name value` options, and the rest (OUT). */
function parseArgs(argv) {
  const older = [];
  const opts = {};
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--older') older.push(argv[++i]);
    else if (argv[i].startsWith('--')) opts[argv[i].slice(2)] = argv[++i];
    else rest.push(argv[i]);
  }
  return { older, opts, rest };
}

async function main() {
  const { older, opts, rest } = parseArgs(process.argv.slice(2));
  const [out] = rest;
  const roots = { etr: opts.etr, s3d: opts.scorched };
  if (!out || !roots.etr || !roots.s3d || older.length !== 3) {
    throw new Error('usage: make-heldout9.js --older NEXUIZ --older OPENARENA --older CUBE2 --etr EXTREMETUXRACER_DATA --scorched SCORCHED3D_DATA OUT');
  }
  for (const [o, pkg] of older.map((o) => [o, fs.existsSync(path.join(o, 'usr/share/doc')) ? fs.readdirSync(path.join(o, 'usr/share/doc'))[0] : undefined])) {
    if (!['nexuiz-textures', 'openarena-081-textures', 'cube2-data'].includes(pkg)) throw new Error(`${o}: --older must be the nexuiz-textures, openarena-081-textures and cube2-data package folders`);
  }
  for (const s of SOURCES) {
    if (!fs.existsSync(path.join(roots[s.key], 'usr/share/doc', s.package))) throw new Error(`${roots[s.key]}: not the ${s.package} package folder`);
  }

  const removed = new Map();
  const why = (f, reason) => removed.set(f, reason);
  // 1-2. Candidates, minus maps and non-materials.
  const candidates = [];
  let listed = 0;
  for (const s of SOURCES) {
    for (const dir of s.dirs(roots[s.key])) {
      for (const f of listImages(dir)) {
        listed++;
        const stem = path.basename(f).replace(/\.[^.]+$/, '');
        if (MAP_STEM.test(stem)) why(f, 'map (suffix)');
        else if (NOT_MATERIAL.test(stem)) why(f, 'sky / cloud / detail overlay');
        else candidates.push({ f, source: s, rel: `${s.package}/${path.relative(roots[s.key], f).replace(/\\/g, '/')}` });
      }
    }
  }
  // 3a. Names of sets 1-8.
  const names = earlierNames();
  const afterNames = candidates.filter((c) => {
    const stem = path.basename(c.f).replace(/\.[^.]+$/, '').toLowerCase();
    if (names.has(stem)) { why(c.f, 'set 1-8 name'); return false; }
    return true;
  });
  // 3b / 4. Content of the earlier packages; copies inside the pool (largest first).
  const sized = [];
  for (const c of afterNames) {
    let n = 0;
    try { const { info } = await open(c.f).raw().toBuffer({ resolveWithObject: true }); n = Math.min(info.width, info.height) >= SIZE ? info.width * info.height : 0; } catch { n = -1; }
    if (n <= 0) { why(c.f, n < 0 ? 'unreadable' : 'under 256 px'); continue; }
    sized.push({ ...c, n });
  }
  const pool = await distinctPool(sized, older.flatMap((o) => listImages(o)), why, 'sets 1-8');

  // 5-6. Flatness of the centre crop, per channel; first 16 by sha1(package/path).
  const key = (c) => crypto.createHash('sha1').update(c.rel).digest('hex');
  pool.sort((a, b) => key(a).localeCompare(key(b)));
  fs.mkdirSync(out, { recursive: true });
  const items = [];
  let flat = 0;
  for (const c of pool) {
    if (items.length >= MAX) break;
    const col = await centre(c.f, 3);
    const { data } = await col.clone().raw().toBuffer({ resolveWithObject: true });
    const std = maxChannelStd(data);
    if (std < FLAT_STD) { flat++; continue; }
    const folder = path.basename(path.dirname(c.f));
    const name = `${c.source.key}-${folder}__${path.basename(c.f).replace(/\.[^.]+$/, '')}.png`;
    await col.toFile(path.join(out, name));
    items.push({ texture: name, source: c.rel, sha1: sha1File(c.f), maxChannelStd: Math.round(std * 10) / 10 });
  }
  const removedCounts = {};
  for (const r of removed.values()) removedCounts[r] = (removedCounts[r] || 0) + 1;
  const manifest = {
    packages: SOURCES.map((s) => ({ package: `${s.package} ${packageVersion(roots[s.key], s.package)} (Debian)`, licence: `${s.licence}; usr/share/doc/${s.package}/copyright in the package` })),
    rule: 'SET 9 (fresh, vary11): Debian extremetuxracer-data terrains + scorched3d-data landscape textures; minus maps (suffixes incl. glow/emissive _gm _glow _em ...) and sky/cloud/detail images; minus set 1-8 names and anything the set 1-8 packages ship (same bytes or 16x16 thumbnail within 2 levels); minus copies in the pool; >= 256 px; centre 256x256 not flat PER CHANNEL (max channel std >= 8); first 16 by sha1(package/path)',
    listed,
    removed: removedCounts,
    pool: pool.length,
    skippedWhilePicking: { flat },
    items,
  };
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 1));
  process.stdout.write(`${items.length} textures -> ${out} (pool ${pool.length})\n`);
}
module.exports = { MAP_STEM, FLAT_STD, packageVersion, earlierNames, sameThumb, maxChannelStd, distinctPool, parseArgs };
if (require.main === module) main().catch((e) => { process.stderr.write(`${e.message}\n`); process.exit(1); });
