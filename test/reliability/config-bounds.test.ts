/**
 * Config text cannot hang or crash a run (issue 8, item 11): size, nesting depth and globs are bounded;
 * each refusal is exit 2 with one `file: key: problem` line, before anything is written.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BIN, hashTree, makeSandbox, noisePNG, removeDir, write } from './helpers';

function runWithin(args: string[], ms = 20_000): { code: number | null; stdout: string; stderr: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: ms, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.signal === 'SIGKILL' };
}

describe('config bounds', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(async () => {
    box = makeSandbox();
    // A long name that almost matches `*a*a*...*b`: the worst case for a backtracking matcher.
    write(path.join(box.project, `${'a'.repeat(200)}.png`), await noisePNG(8, 8));
  });
  afterEach(() => removeDir(box.base));

  const refused = (config: string, message: RegExp, file = 'remaster.config.json') => {
    write(path.join(box.project, file), config);
    const before = hashTree(box.project);
    const r = runWithin(['run', box.project]);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(hashTree(box.project)).toEqual(before);
  };

  it('a pathological glob (`**/*a*a*a…*b`, 30 times) is refused at once, naming the key', () => {
    const glob = `**/*${'a*'.repeat(30)}b`;
    refused(JSON.stringify({ rules: [{ match: glob, upscale: { model: 'lanczos' } }] }), /^remaster: remaster\.config\.json: rules\.0\.match: more than 2 "\*" in one path segment/);
  });

  it('also inside a list of globs', () => {
    refused(JSON.stringify({ rules: [{ upscale: { model: 'lanczos' } }, { match: ['*.png', '*a*a*a*a*b'], skip: true }] }), /^remaster: remaster\.config\.json: rules\.1\.match\.1: more than 2 "\*"/);
  });

  it('too many ** in one glob is refused', () => {
    refused(JSON.stringify({ rules: [{ match: '**/a/**/b/**/c/**/d/*.png', upscale: { model: 'lanczos' } }] }), /^remaster: remaster\.config\.json: rules\.0\.match: more than 3 "\*\*"/);
  });

  it('a deeply nested value is refused with its key, no stack overflow', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    refused(`{ "rules": [ { "upscale": { "model": ${deep} } } ] }`, /^remaster: remaster\.config\.json: rules\.0\.upscale\.model\.\.\.: nested deeper than 16 levels$/);
  });

  it('a deeply nested sidecar likewise', () => {
    const deep = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    refused(deep, /^remaster: a{200}\.png\.remaster\.json: a\.a\.a\.a\.\.\.: nested deeper than 16 levels$/, `${'a'.repeat(200)}.png.remaster.json`);
  });

  it('a 36 MB config is refused before it is parsed', () => {
    const big = JSON.stringify({ rules: [{ match: '*.png', upscale: { model: 'lanczos' } }], pad: 'x'.repeat(36 << 20) });
    refused(big, /^remaster: remaster\.config\.json: too large \(\d+ bytes, at most 1048576\)$/);
  });

  it('ordinary globs still work, and fast', () => {
    write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ rules: [{ match: ['**/*a*.png', 'textures/**/*_n.*'], upscale: { scale: 2, model: 'lanczos' } }] }));
    const r = runWithin(['run', box.project, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).processed).toHaveLength(1);
  });
});
