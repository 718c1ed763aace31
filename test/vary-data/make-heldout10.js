#!/usr/bin/env node
/**
 * Held-out SET 10 for `remaster eval-vary` (defined by the lead of session 24 before anything was scored on it).
 * Sets 1-9 came from nexuiz-textures, openarena-081-textures, cube2-data, extremetuxracer-data and scorched3d-data
 * and are all seen (tuning) data now, so set 10 comes from a package vary never read: Debian `supertuxkart-data`
 * (SuperTuxKart's shared `data/textures/`: bricks, paving, planks, rock walls, grass, dirt, asphalt, ...). Its
 * textures carry per-file licences (mostly CC-BY-SA-3.0/4.0, CC-BY-3.0, CC0, public domain, GPL); the manifest
 * records each pick's licence as the package's `usr/share/doc/supertuxkart-data/copyright` states it (the last
 * matching `Files:` stanza, as the Debian copyright format says). No package data is committed; OUT is a scratch
 * folder outside git.
 *
 *   npm run build   # step 5 uses vary's own tiles() from the build
 *   node test/vary-data/make-heldout10.js \
 *     --older "$(../shared/tools/get-debian-textures.sh nexuiz-textures)" \
 *     --older "$(../shared/tools/get-debian-textures.sh openarena-081-textures)" \
 *     --older "$(../shared/tools/get-debian-textures.sh cube2-data)" \
 *     --older "$(../shared/tools/get-debian-textures.sh extremetuxracer-data)" \
 *     --older "$(../shared/tools/get-debian-textures.sh scorched3d-data)" \
 *     --stk "$(../shared/tools/get-debian-textures.sh supertuxkart-data)" vary-heldout10
 *
 * The rule:
 *   1. candidates: every png/jpg directly in `usr/share/games/supertuxkart/data/textures/` (not its `deprecated/`
 *      or `skybox/` folders);
 *   2. minus maps and what is not a surface material, by stem: set 9's map suffixes (MAP_STEM) except `_a`, plus
 *      SuperTuxKart's `_colormask` / `_colourmask` masks (in this package `_a` / `_b` / `_c` name a material's
 *      variants, `stk_generic_brickA` / `stk_emptyPanel_a` / `_b`, with maps `<stem>_Normal` and `<stem>_gloss`;
 *      its alpha masks are `_alpha` / `_mask`); skies and clouds (`sky`, `cloud` in the stem); set 7's categories of
 *      what is not a material (`logo`, `banner`, `decal`, `symbol`, `sign`, `flag` in the stem); kart and character
 *      parts (`kart`, `tux` in the stem: UV atlases whose plain borders can pass the tiling test); and cut-outs: images
 *      whose alpha is below 250 on more than 1 % of the texels (foliage, sprites, decals: drawn over something,
 *      not a material that repeats);
 *   3. minus anything in sets 1-9: (a) by name, a stem equal to the name of a texture in a committed set table or
 *      in set 8's / set 9's manifest; (b) by content, the same bytes or a 16x16 RGB thumbnail within DUP_MAD
 *      levels (aspect within 1 %, where the thumbnail is not near-flat) as any image of the five packages sets
 *      1-9 were drawn from (`--older`);
 *   4. minus copies inside the pool (same bytes or thumbnail as an earlier candidate, largest first; ties: path);
 *   5. >= 256 px on both sides, and the whole image TILES by vary's own test (`tiles()`): the Texture Multiplier
 *      is for materials that repeat across a level, and in this folder what does not tile is a UV atlas
 *      (characters, karts, props) or an effect image;
 *   6. written as the centre 256x256 crop (as sets 3-9), which must not be flat per channel (largest channel std
 *      >= 8), with the texture's normal map (SuperTuxKart's `<stem>_Normal` or `<stem>_nm`) as `<name>_n.png` and
 *      its `<stem>_gloss` data map as `<name>_gloss.png`, when they exist at the texture's size, cropped the same way;
 *   7. the first 16 by sha1("supertuxkart-data/<path in package>"). No hand-picking; the manifest records what
 *      each step removed.
 *
 * Amended before anything was scored: the first run (same day, picks only, nothing scored or looked at beyond
 * the manifest) used set 9's MAP_STEM unchanged, whose `_a` (an alpha-mask suffix in the older packages) removed
 * 263 of SuperTuxKart's 383 `stk_*` materials as "maps", and kept only `_nm` normal maps, of which none matched a
 * pick. Both were bugs of the rule against this package's naming. The second run's picks (again only the
 * manifest's names) held a stop sign, a flag and a kart wheel, which pass the tiling test on their plain borders:
 * set 7's not-a-material categories and kart/character parts were added. Nothing else changed; nothing was scored.
 *
 * Output: OUT/stk__<name>.png (+ stk__<name>_n.png, stk__<name>_gloss.png) and manifest.json.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const sharp = require('sharp');
const { SIZE, centre, listImages, sha1File } = require('./make-heldout');
const { MAP_STEM, FLAT_STD, packageVersion, earlierNames, maxChannelStd, distinctPool, parseArgs } = require('./make-heldout9');

const MAX = 16;
const PACKAGE = 'supertuxkart-data';
const GAME_ROOT = 'usr/share/games/supertuxkart';
const TEXTURES = `${GAME_ROOT}/data/textures`;
const OLDER = ['nexuiz-textures', 'openarena-081-textures', 'cube2-data', 'extremetuxracer-data', 'scorched3d-data'];
const MASK_STEM = /_colou?rmask$/i;
/** Set 9's map suffixes without `_a` (a material variant letter in this package, not an alpha mask). */
const MAP_STEM_10 = new RegExp(MAP_STEM.source.replace('|mask|alpha|a|', '|mask|alpha|'), MAP_STEM.flags);
const NOT_MATERIAL = /sky|cloud/i;
const NOT_MATERIAL_7 = /logo|banner|decal|symbol|sign|flag|kart|tux/i;
const CUTOUT_SHARE = 0.01;

/** Names of sets 1-9: set 9's rule (committed tables + set 8's manifest) plus set 9's manifest. */
function setNames() {
  const names = earlierNames();
  const m9 = path.join(__dirname, 'heldout9-manifest.json');
  for (const it of JSON.parse(fs.readFileSync(m9, 'utf8')).items) {
    const stem = it.texture.replace(/\.[^.]+$/, '').toLowerCase();
    names.add(stem.includes('__') ? stem.split('__').pop() : stem);
  }
  return names;
}

/** The licence of a package path by the copyright file's stanzas (the last matching `Files:` pattern wins). */
function licences(root, pkg = PACKAGE) {
  const text = fs.readFileSync(path.join(root, 'usr/share/doc', pkg, 'copyright'), 'utf8');
  const stanzas = [];
  for (const block of text.split(/\n\s*\n/)) {
    const files = /^Files:((?:.*\n?)(?:[ \t].*\n?)*)/m.exec(block);
    const licence = /^License:\s*(.+)$/m.exec(block);
    if (!files || !licence) continue;
    const patterns = files[1].split(/\s+/).filter(Boolean).map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`));
    stanzas.push({ patterns, licence: licence[1].trim() });
  }
  return (rel) => {
    let found = 'unknown';
    for (const s of stanzas) if (s.patterns.some((p) => p.test(rel))) found = s.licence;
    return found;
  };
}

/** Share of texels whose alpha is below 250 (0 without an alpha channel). */
async function cutoutShare(file) {
  const meta = await sharp(file).metadata();
  if (!meta.hasAlpha) return 0;
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let low = 0;
  for (let i = 3; i < data.length; i += info.channels) if (data[i] < 250) low++;
  return low / (info.width * info.height);
}

/** Refuses to run unless `older` names exactly the packages `olderNames` and `root` is `pkg`'s unpacked folder. */
function checkPackages({ older, olderNames, root, pkg, usage }) {
  const olderPkgs = older.map((o) => (fs.existsSync(path.join(o, 'usr/share/doc')) ? fs.readdirSync(path.join(o, 'usr/share/doc')).find((d) => olderNames.includes(d)) : undefined));
  if (olderNames.some((p) => !olderPkgs.includes(p))) throw new Error(`--older must name the ${olderNames.join(', ')} package folders\n${usage}`);
  if (!fs.existsSync(path.join(root, 'usr/share/doc', pkg))) throw new Error(`${root}: not the ${pkg} package folder`);
}

/**
 * Writes a set's manifest.json (the package, the rule, what each step removed, the picks) and prints one line.
 * `removed` maps each dropped file to its reason; the manifest keeps the counts per reason.
 */
function writeManifest(out, { root, pkg, rule, listed, removed, pool, skipped, items }) {
  const removedCounts = {};
  for (const r of removed.values()) removedCounts[r] = (removedCounts[r] || 0) + 1;
  const manifest = {
    packages: [{ package: `${pkg} ${packageVersion(root, pkg)} (Debian)`, licence: `per file (each item's licence); usr/share/doc/${pkg}/copyright in the package` }],
    rule,
    listed,
    removed: removedCounts,
    pool: pool.length,
    skippedWhilePicking: skipped,
    items,
  };
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 1));
  process.stdout.write(`${items.length} textures -> ${out} (pool ${pool.length})\n`);
}

/**
 * Steps 3-7 of sets 10 and 11: minus earlier sets' names (3a), anything the earlier packages ship and copies inside
 * the pool (3b, 4: largest first), under 256 px (5); then, in sha1(package/path) order, the first MAX whose whole
 * image tiles (vary's `tiles()`) and whose centre 256x256 crop is not flat (6-7), written to `out` as `name(c)`.
 * `maps(c, item)` adds a pick's map siblings. Returns the pool, the items and what picking skipped.
 */
async function pickTiling(candidates, { names, label, olderFiles, why, out, tiles, name, item, maps }) {
  const afterNames = candidates.filter((c) => {
    if (names.has(c.stem.toLowerCase())) { why(c.f, `${label.replace('sets ', 'set ')} name`); return false; }
    return true;
  });
  const sized = [];
  for (const c of afterNames) {
    const meta = await sharp(c.f).metadata();
    if (Math.min(meta.width, meta.height) < SIZE) { why(c.f, 'under 256 px'); continue; }
    sized.push({ ...c, n: meta.width * meta.height });
  }
  const pool = await distinctPool(sized, olderFiles, why, label);
  const key = (c) => crypto.createHash('sha1').update(c.rel).digest('hex');
  pool.sort((a, b) => key(a).localeCompare(key(b)));
  fs.mkdirSync(out, { recursive: true });
  const items = [];
  const skipped = { 'does not tile': 0, flat: 0 };
  for (const c of pool) {
    if (items.length >= MAX) break;
    const { data, info } = await sharp(c.f).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (!tiles({ data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels })) { skipped['does not tile']++; continue; }
    const col = await centre(c.f, 3);
    const { data: crop } = await col.clone().raw().toBuffer({ resolveWithObject: true });
    const std = maxChannelStd(crop);
    if (std < FLAT_STD) { skipped.flat++; continue; }
    await col.toFile(path.join(out, name(c)));
    const it = item(c, std);
    if (maps) await maps(c, it);
    items.push(it);
  }
  return { pool, items, skipped };
}

async function main() {
  const { older, opts, rest } = parseArgs(process.argv.slice(2));
  const [out] = rest;
  const root = opts.stk;
  const usage = `usage: make-heldout10.js ${OLDER.map((p) => `--older ${p.toUpperCase()}`).join(' ')} --stk SUPERTUXKART_DATA OUT`;
  if (!out || !root) throw new Error(usage);
  checkPackages({ older, olderNames: OLDER, root, pkg: PACKAGE, usage });
  const { tiles } = require('../../dist/plugin/ops/vary/vary-texture');
  const licenceOf = licences(root);

  const removed = new Map();
  const why = (f, reason) => removed.set(f, reason);
  // 1-2. Candidates (the folder itself only), minus maps, masks, skies and cut-outs.
  const dir = path.join(root, TEXTURES);
  const files = fs.readdirSync(dir).filter((n) => /\.(png|jpe?g)$/i.test(n)).sort().map((n) => path.join(dir, n));
  const candidates = [];
  for (const f of files) {
    const stem = path.basename(f).replace(/\.[^.]+$/, '');
    if (MAP_STEM_10.test(stem) || MASK_STEM.test(stem)) { why(f, 'map or mask (suffix)'); continue; }
    if (NOT_MATERIAL.test(stem)) { why(f, 'sky / cloud'); continue; }
    if (NOT_MATERIAL_7.test(stem)) { why(f, 'logo / sign / flag / kart or character part'); continue; }
    let cut;
    try { cut = await cutoutShare(f); } catch { why(f, 'unreadable'); continue; }
    if (cut > CUTOUT_SHARE) { why(f, 'cut-out (alpha < 250 on > 1 %)'); continue; }
    candidates.push({ f, stem, rel: `${PACKAGE}/${path.relative(root, f).replace(/\\/g, '/')}` });
  }
  const { pool, items, skipped } = await pickTiling(candidates, {
    names: setNames(), label: 'sets 1-9', olderFiles: older.flatMap((o) => listImages(o)), why, out, tiles,
    name: (c) => `stk__${c.stem}.png`,
    item: (c, std) => ({ texture: `stk__${c.stem}.png`, source: c.rel, sha1: sha1File(c.f), licence: licenceOf(path.relative(path.join(root, GAME_ROOT), c.f).replace(/\\/g, '/')), maxChannelStd: Math.round(std * 10) / 10 }),
    // 6. The texture's normal map (`<stem>_Normal` / `<stem>_nm`) as `_n` and its `_gloss` map, at its size, cropped alike.
    maps: async (c, item) => {
      const lower = fs.readdirSync(dir).map((n) => [n.toLowerCase().replace(/\.[^.]+$/, ''), n]);
      const cm = await sharp(c.f).metadata();
      for (const [suffixes, out10, slot] of [[['_normal', '_nm'], '_n', 'normal'], [['_gloss'], '_gloss', 'gloss']]) {
        const hit = suffixes.map((sfx) => lower.find(([l]) => l === `${c.stem.toLowerCase()}${sfx}`)).find(Boolean);
        if (!hit) continue;
        const mapFile = path.join(dir, hit[1]);
        const m = await sharp(mapFile).metadata();
        if (m.width !== cm.width || m.height !== cm.height) continue;
        await (await centre(mapFile, 3)).toFile(path.join(out, `stk__${c.stem}${out10}.png`));
        item[slot] = { source: `${PACKAGE}/${path.relative(root, mapFile).replace(/\\/g, '/')}`, sha1: sha1File(mapFile) };
      }
    },
  });
  writeManifest(out, {
    root, pkg: PACKAGE, listed: files.length, removed, pool, skipped, items,
    rule: 'SET 10 (fresh, session 24): Debian supertuxkart-data data/textures/ (top folder); minus maps/masks (set 9 suffixes + _colormask), sky/cloud stems, logo/banner/decal/symbol/sign/flag and kart/tux stems, cut-outs (alpha < 250 on > 1 %); minus set 1-9 names and anything the set 1-9 packages ship (same bytes or 16x16 thumbnail within 2 levels); minus copies in the pool; >= 256 px; the whole image tiles (vary tiles()); centre 256x256 not flat per channel (max channel std >= 8), _Normal/_nm normal sibling as _n and _gloss as _gloss; `_a` is a variant letter here, not a mask; first 16 by sha1(package/path)',
  });
}
module.exports = { licences, cutoutShare, setNames, pickTiling, writeManifest, checkPackages, NOT_MATERIAL_7, CUTOUT_SHARE };
if (require.main === module) main().catch((e) => { process.stderr.write(`${e.message}\n`); process.exit(1); });
