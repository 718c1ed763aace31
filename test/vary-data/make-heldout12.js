#!/usr/bin/env node
/**
 * Held-out SET 12 for `remaster eval-vary` (defined by the lead of session 26 before anything was scored on it).
 * Sets 1-11 came from nexuiz-textures, openarena-081-textures, cube2-data, extremetuxracer-data, scorched3d-data,
 * supertuxkart-data and torcs-data and are all seen (tuning) data now; every change to vary since set 11 was scored
 * was measured on sets 6-11. Set 12 comes from a package vary never read: Debian `0ad-data` (0 A.D.'s terrain
 * materials: rock, cliffs, grass, sand, dirt, paving, snow). The package ships its art inside
 * `usr/share/games/0ad/mods/public/public.zip`, terrain textures as the game loads them: DXT1/DXT5 DDS files
 * (`<name>.png.cached.dds`, `<name>.dds.cached.dds`), decoded here with parse-dds + decode-dxt (devDependencies;
 * mip level 0). Licence: CC-BY-SA-3.0, Wildfire Games (`usr/share/doc/0ad-data/copyright`, `Files: *`). No package
 * data is committed; OUT is a scratch folder outside git.
 *
 *   npm run build   # step 5 uses vary's own tiles() from the build
 *   node test/vary-data/make-heldout12.js \
 *     --older "$(../shared/tools/get-debian-textures.sh nexuiz-textures)" \
 *     --older "$(../shared/tools/get-debian-textures.sh openarena-081-textures)" \
 *     --older "$(../shared/tools/get-debian-textures.sh cube2-data)" \
 *     --older "$(../shared/tools/get-debian-textures.sh extremetuxracer-data)" \
 *     --older "$(../shared/tools/get-debian-textures.sh scorched3d-data)" \
 *     --older "$(../shared/tools/get-debian-textures.sh supertuxkart-data)" \
 *     --older "$(../shared/tools/get-debian-textures.sh torcs-data)" \
 *     --zeroad "$(../shared/tools/get-debian-textures.sh 0ad-data)" vary-heldout12
 *
 * The rule (set 11's, adapted to this package):
 *   1. candidates: every `.dds` under `art/textures/terrain/` in public.zip (the terrain folder holds nothing else
 *      but blend masks, which are PNG), decoded; a DDS the decoder does not support is removed as unreadable;
 *   2. minus maps by stem (set 9's map suffixes, which include `_norm` and `_spec`), set 11's sky / environment /
 *      shadow / background stems, set 7's and 10's categories of what is not a material, and cut-outs (alpha
 *      below 250 on more than 1 % of the texels);
 *   3. minus anything in sets 1-11: (a) by name, a stem equal to the name of a texture of sets 1-11 (set 11's rule's
 *      names plus set 11's manifest); (b) by content, the same bytes or a 16x16 RGB thumbnail within DUP_MAD levels
 *      of any image of the seven packages sets 1-11 were drawn from (`--older`);
 *   4. minus copies inside the pool (same bytes or thumbnail as an earlier candidate, largest first; ties: path);
 *   5. >= 256 px on both sides, and the whole image TILES by vary's own test (`tiles()`);
 *   6. written as the centre 256x256 crop, which must not be flat per channel (largest channel std >= 8); the
 *      texture's `<stem>_norm` map as `_n` and `<stem>_spec` map as `_spec`, where they exist at its size, cropped
 *      alike (vary varies them with the colour map);
 *   7. the first 16 by sha1("0ad-data/<path in package>/<path in zip>"). No hand-picking; the manifest records
 *      what each step removed.
 *
 * Output: OUT/0ad__<stem>.png (0ad__<biome>__<stem>.png for the biome subfolders) and manifest.json.
 */
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const sharp = require('sharp');
const parseDds = require('parse-dds');
const decodeDxt = require('decode-dxt');
const { centre, listImages, sha1File } = require('./make-heldout');
const { MAP_STEM, parseArgs } = require('./make-heldout9');
const { licences, cutoutShare, pickTiling, writeManifest, checkPackages, NOT_MATERIAL_7, CUTOUT_SHARE } = require('./make-heldout10');
const { setNames11, NOT_MATERIAL_11 } = require('./make-heldout11');

const PACKAGE = '0ad-data';
const ZIP = 'usr/share/games/0ad/mods/public/public.zip';
const TERRAIN = 'art/textures/terrain';
const OLDER = ['nexuiz-textures', 'openarena-081-textures', 'cube2-data', 'extremetuxracer-data', 'scorched3d-data', 'supertuxkart-data', 'torcs-data'];
const DDS_NAME = /(\.(png|dds))?\.cached\.dds$|\.dds$/i;

/** Names of sets 1-11: set 11's rule's names (sets 1-10) plus set 11's manifest. */
function setNames12() {
  const names = setNames11();
  for (const it of JSON.parse(fs.readFileSync(path.join(__dirname, 'heldout11-manifest.json'), 'utf8')).items) {
    names.add(it.texture.replace(/\.[^.]+$/, '').toLowerCase().split('__').pop());
  }
  return names;
}

/** Decodes mip 0 of a DXT DDS file to an RGBA PNG at `png`. Throws on formats parse-dds / decode-dxt lack. */
async function ddsToPng(dds, png) {
  const bytes = fs.readFileSync(dds);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  const header = parseDds(buffer);
  if (!/^dxt[1-5]$/.test(header.format)) throw new Error(`${dds}: ${header.format} is not DXT`);
  const [width, height] = header.images[0].shape;
  const rgba = decodeDxt(new DataView(buffer, header.images[0].offset, header.images[0].length), width, height, header.format);
  await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.length), { raw: { width, height, channels: 4 } }).png().toFile(png);
}

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (/\.dds$/i.test(e.name)) out.push(full);
  }
  return out;
}

async function main() {
  const { older, opts, rest } = parseArgs(process.argv.slice(2));
  const [out] = rest;
  const root = opts.zeroad;
  const usage = `usage: make-heldout12.js ${OLDER.map((p) => `--older ${p.toUpperCase()}`).join(' ')} --zeroad 0AD_DATA OUT`;
  if (!out || !root) throw new Error(usage);
  checkPackages({ older, olderNames: OLDER, root, pkg: PACKAGE, usage });
  const { tiles } = require('../../dist/plugin/ops/vary/vary-texture');
  const licenceOf = licences(root, PACKAGE);

  // The terrain DDS files, unpacked and decoded in a scratch folder removed at the end.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'heldout12-'));
  try {
    childProcess.execFileSync('unzip', ['-q', '-o', path.join(root, ZIP), `${TERRAIN}/*`, '-d', scratch]);
    const removed = new Map();
    const why = (f, reason) => removed.set(f, reason);
    const files = walk(path.join(scratch, TERRAIN));
    const pngOf = new Map();
    // 1-2. Candidates, minus maps, non-materials and cut-outs.
    const candidates = [];
    for (const dds of files) {
      const inZip = path.relative(scratch, dds).replace(/\\/g, '/');
      const stem = path.basename(dds).replace(DDS_NAME, '');
      const png = path.join(path.dirname(dds), `${stem}.png`);
      try { await ddsToPng(dds, png); } catch { why(dds, 'unreadable'); continue; }
      pngOf.set(stem.toLowerCase() + '@' + path.dirname(dds), png);
      if (MAP_STEM.test(stem)) { why(dds, 'map (suffix)'); continue; }
      if (NOT_MATERIAL_11.test(stem)) { why(dds, 'sky / env / shadow / background'); continue; }
      if (NOT_MATERIAL_7.test(stem)) { why(dds, 'logo / sign / flag / kart or character part'); continue; }
      if (await cutoutShare(png) > CUTOUT_SHARE) { why(dds, 'cut-out (alpha < 250 on > 1 %)'); continue; }
      const biome = path.relative(path.join(scratch, TERRAIN, 'types'), path.dirname(dds)).replace(/\\/g, '/');
      candidates.push({ f: png, dds, stem, biome, rel: `${PACKAGE}/${ZIP}/${inZip}` });
    }
    const nameOf = (c) => `0ad__${c.biome && !c.biome.startsWith('..') ? `${c.biome.replace(/\//g, '__')}__` : ''}${c.stem}`;
    // 3-7. Earlier sets' names and packages, pool copies, size, tiling, flatness, sha1 order (set 10's pickTiling).
    const { pool, items, skipped } = await pickTiling(candidates, {
      names: setNames12(), label: 'sets 1-11', olderFiles: older.flatMap((o) => listImages(o)), why, out, tiles,
      name: (c) => `${nameOf(c)}.png`,
      item: (c, std) => ({
        texture: `${nameOf(c)}.png`, source: c.rel, sha1: sha1File(c.dds),
        licence: licenceOf(`${ZIP}/${path.relative(scratch, c.dds)}`), maxChannelStd: Math.round(std * 10) / 10,
      }),
      // 6. `<stem>_norm` as `_n` and `<stem>_spec` as `_spec`, at the texture's size, cropped alike.
      maps: async (c, item) => {
        const cm = await sharp(c.f).metadata();
        for (const [suffix, outSuffix, slot] of [['_norm', '_n', 'normal'], ['_spec', '_spec', 'spec']]) {
          const mapPng = pngOf.get(`${c.stem.toLowerCase()}${suffix}@${path.dirname(c.dds)}`);
          if (!mapPng) continue;
          const m = await sharp(mapPng).metadata();
          if (m.width !== cm.width || m.height !== cm.height) continue;
          await (await centre(mapPng, 3)).toFile(path.join(out, `${nameOf(c)}${outSuffix}.png`));
          const mapDds = files.find((d) => path.dirname(d) === path.dirname(c.dds) && path.basename(d).replace(DDS_NAME, '').toLowerCase() === `${c.stem.toLowerCase()}${suffix}`);
          item[slot] = { source: `${PACKAGE}/${ZIP}/${path.relative(scratch, mapDds).replace(/\\/g, '/')}`, sha1: sha1File(mapDds) };
        }
      },
    });
    writeManifest(out, {
      root, pkg: PACKAGE, listed: files.length, removed, pool, skipped, items,
      rule: 'SET 12 (fresh, session 26): Debian 0ad-data public.zip art/textures/terrain/** DDS (DXT1/5, mip 0, parse-dds + decode-dxt); minus maps (set 9 suffixes), sky/cloud/env/shadow/background stems, logo/banner/decal/symbol/sign/flag/kart/tux stems, cut-outs (alpha < 250 on > 1 %); minus set 1-11 names and anything the set 1-11 packages ship (same bytes or 16x16 thumbnail within 2 levels); minus copies in the pool; >= 256 px; the whole image tiles (vary tiles()); centre 256x256 not flat per channel (max channel std >= 8), _norm as _n and _spec as _spec; first 16 by sha1(package/path/path-in-zip)',
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) main().catch((e) => { process.stderr.write(`${e.message}\n`); process.exit(1); });
