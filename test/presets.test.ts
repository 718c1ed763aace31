import fs from 'node:fs';
import path from 'node:path';
import { loadProjectConfig } from '../plugin/config';

const PRESETS = path.join(__dirname, '..', 'pipeline-config', 'presets');

describe('pipeline-config presets', () => {
  it.each(fs.readdirSync(PRESETS))('%s is a valid config', async (file) => {
    const config = await loadProjectConfig(process.cwd(), path.join(PRESETS, file));
    expect(config.rules.length).toBeGreaterThan(0);
  });
});
