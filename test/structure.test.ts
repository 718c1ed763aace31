/** Structure rules the code relies on: no import cycles between plugin/ files (type imports included). */
import fs from 'node:fs';
import path from 'node:path';

const PLUGIN = path.join(__dirname, '..', 'plugin');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports and re-exports of a file, resolved to files. */
function importsOf(file: string): string[] {
  const out: string[] = [];
  const re = /^(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm;
  for (const m of fs.readFileSync(file, 'utf8').matchAll(re)) {
    const target = path.resolve(path.dirname(file), m[1]);
    const found = [`${target}.ts`, path.join(target, 'index.ts')].find((c) => fs.existsSync(c));
    if (found) out.push(found);
  }
  return out;
}

function cycles(files: string[]): string[] {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') found.push([...stack.slice(stack.indexOf(d)), d].map((x) => path.relative(PLUGIN, x)).join(' -> '));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

describe('plugin structure', () => {
  it('has no import cycles', () => {
    const files = sourceFiles(PLUGIN);
    expect(files.length).toBeGreaterThan(50);
    expect(cycles(files)).toEqual([]);
  });

  it('the cycle finder finds one', () => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'cycle-'));
    fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\n");
    fs.writeFileSync(path.join(dir, 'b.ts'), "import type { a } from './a';\n");
    expect(cycles([path.join(dir, 'a.ts'), path.join(dir, 'b.ts')])).toEqual([expect.stringMatching(/a\.ts -> .*b\.ts -> .*a\.ts$/)]);
    fs.rmSync(dir, { recursive: true });
  });
});
