#!/usr/bin/env node
/**
 * Held-out SET 11 for `remaster eval-vary` (defined by the lead of session 25 before anything was scored on it).
 * Sets 1-10 came from nexuiz-textures, openarena-081-textures, cube2-data, extremetuxracer-data, scorched3d-data and
 * supertuxkart-data and are all seen (tuning) data now; every change to vary since set 10 was scored was measured on
 * set 10. Set 11 comes from a package vary never read: Debian `torcs-data` (TORCS's race tracks: asphalt, kerbs,
 * grass, gravel, sand, walls, fences, buildings). Its track folders are Free-Art-License or GPL-2+ by
 * `usr/share/doc/torcs-data/copyright` (which names upstream paths, `data/<path under usr/share/games/torcs>`); the
 * manifest records each pick's licence by the last matching `Files:` stanza. No package data is committed; OUT is a
 * scratch folder outside git.
 *
 *   npm run build   # step 5 uses vary's own tiles() from the build
 *   node test/vary-data/make-heldout11.js \
 *     --older "$(../shared/tools/get-debian-textures.sh nexuiz-textures)" \
 *     --older "$(../shared/tools/get-debian-textures.sh openarena-081-textures)" \
 *     --older "$(../shared/tools/get-debian-textures.sh cube2-data)" \
 *     --older "$(../shared/tools/get-debian-textures.sh extremetuxracer-data)" \
 *     --older "$(../shared/tools/get-debian-textures.sh scorched3d-data)" \
 *     --older "$(../shared/tools/get-debian-textures.sh supertuxkart-data)" \
 *     --torcs "$(../shared/tools/get-debian-textures.sh torcs-data)" vary-heldout11
 *
 * The rule (set 10's, adapted to this package):
 *   1. candidates: every png/jpg under `usr/share/games/torcs/tracks/` (the package's other textures, in
 *      `data/textures/`, are SGI `.rgb` files that the image library cannot read; cars and wheels are UV atlases);
 *   2. minus maps by stem (set 9's map suffixes, which include `_n`), skies / environment maps / shadows /
 *      backgrounds (`sky`, `cloud`, `env`, `shadow`, `background` in the stem), set 7's and 10's categories of what is
 *      not a material (`logo`, `banner`, `decal`, `symbol`, `sign`, `flag`, `kart`, `tux` in the stem), and cut-outs
 *      (alpha below 250 on more than 1 % of the texels: trees, people, fences drawn over something);
 *   3. minus anything in sets 1-10: (a) by name, a stem equal to the name of a texture of sets 1-10 (set 10's rule's
 *      names plus set 10's manifest); (b) by content, the same bytes or a 16x16 RGB thumbnail within DUP_MAD levels of
 *      any image of the six packages sets 1-10 were drawn from (`--older`);
 *   4. minus copies inside the pool (TORCS tracks share many files: same bytes or thumbnail as an earlier candidate,
 *      largest first; ties: path);
 *   5. >= 256 px on both sides, and the whole image TILES by vary's own test (`tiles()`);
 *   6. written as the centre 256x256 crop, which must not be flat per channel (largest channel std >= 8);
 *   7. the first 16 by sha1("torcs-data/<path in package>"). No hand-picking; the manifest records what each step
 *      removed.
 *
 * Output: OUT/torcs__<track>__<name>.png and manifest.json (the track folder is in the name: stems repeat
 * across tracks).
 */
const fs = require('node:fs');
const path = require('node:path');
const { listImages, sha1File } = require('./make-heldout');
const { MAP_STEM, parseArgs } = require('./make-heldout9');
const { licences, cutoutShare, setNames, pickTiling, writeManifest, checkPackages, NOT_MATERIAL_7, CUTOUT_SHARE } = require('./make-heldout10');

const PACKAGE = 'torcs-data';
const GAME_ROOT = 'usr/share/games/torcs';
const TRACKS = `${GAME_ROOT}/tracks`;
const OLDER = ['nexuiz-textures', 'openarena-081-textures', 'cube2-data', 'extremetuxracer-data', 'scorched3d-data', 'supertuxkart-data'];
const NOT_MATERIAL = /sky|cloud|env|shadow|background/i;

/** Names of sets 1-10: set 10's rule's names (sets 1-9) plus set 10's manifest. */
function setNames11() {
  const names = setNames();
  for (const it of JSON.parse(fs.readFileSync(path.join(__dirname, 'heldout10-manifest.json'), 'utf8')).items) {
    const stem = it.texture.replace(/\.[^.]+$/, '').toLowerCase();
    names.add(stem.includes('__') ? stem.split('__').pop() : stem);
  }
  return names;
}

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (/\.(png|jpe?g)$/i.test(e.name)) out.push(full);
  }
  return out;
}

async function main() {
  const { older, opts, rest } = parseArgs(process.argv.slice(2));
  const [out] = rest;
  const root = opts.torcs;
  const usage = `usage: make-heldout11.js ${OLDER.map((p) => `--older ${p.toUpperCase()}`).join(' ')} --torcs TORCS_DATA OUT`;
  if (!out || !root) throw new Error(usage);
  checkPackages({ older, olderNames: OLDER, root, pkg: PACKAGE, usage });
  const { tiles } = require('../../dist/plugin/ops/vary/vary-texture');
  const licenceOf = licences(root, PACKAGE);

  const removed = new Map();
  const why = (f, reason) => removed.set(f, reason);
  // 1-2. Candidates, minus maps, skies and cut-outs.
  const files = walk(path.join(root, TRACKS));
  const candidates = [];
  for (const f of files) {
    const stem = path.basename(f).replace(/\.[^.]+$/, '');
    if (MAP_STEM.test(stem)) { why(f, 'map (suffix)'); continue; }
    if (NOT_MATERIAL.test(stem)) { why(f, 'sky / env / shadow / background'); continue; }
    if (NOT_MATERIAL_7.test(stem)) { why(f, 'logo / sign / flag / kart or character part'); continue; }
    let cut;
    try { cut = await cutoutShare(f); } catch { why(f, 'unreadable'); continue; }
    if (cut > CUTOUT_SHARE) { why(f, 'cut-out (alpha < 250 on > 1 %)'); continue; }
    const track = path.basename(path.dirname(f));
    candidates.push({ f, stem, track, rel: `${PACKAGE}/${path.relative(root, f).replace(/\\/g, '/')}` });
  }
  // 3-7. Earlier sets' names and packages, pool copies, size, tiling, flatness, sha1 order (set 10's pickTiling).
  const { pool, items, skipped } = await pickTiling(candidates, {
    names: setNames11(), label: 'sets 1-10', olderFiles: older.flatMap((o) => listImages(o)), why, out, tiles,
    name: (c) => `torcs__${c.track}__${c.stem}.png`,
    item: (c, std) => ({
      texture: `torcs__${c.track}__${c.stem}.png`, source: c.rel, sha1: sha1File(c.f),
      licence: licenceOf(`data/${path.relative(path.join(root, GAME_ROOT), c.f).replace(/\\/g, '/')}`), maxChannelStd: Math.round(std * 10) / 10,
    }),
  });
  writeManifest(out, {
    root, pkg: PACKAGE, listed: files.length, removed, pool, skipped, items,
    rule: 'SET 11 (fresh, session 25): Debian torcs-data tracks/** png/jpg; minus maps (set 9 suffixes), sky/cloud/env/shadow/background stems, logo/banner/decal/symbol/sign/flag/kart/tux stems, cut-outs (alpha < 250 on > 1 %); minus set 1-10 names and anything the set 1-10 packages ship (same bytes or 16x16 thumbnail within 2 levels); minus copies in the pool; >= 256 px; the whole image tiles (vary tiles()); centre 256x256 not flat per channel (max channel std >= 8); first 16 by sha1(package/path)',
  });
}
module.exports = { setNames11, NOT_MATERIAL_11: NOT_MATERIAL };
if (require.main === module) main().catch((e) => { process.stderr.write(`${e.message}\n`); process.exit(1); });
