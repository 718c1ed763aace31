/**
 * Preloaded with `node -r` into a process the bench measures (the real `remaster` CLI): writes the
 * process's peak RSS in kB (every thread, native memory included) to $REMASTER_PEAK_RSS_FILE as it exits.
 */
import fs from 'node:fs';

const file = process.env.REMASTER_PEAK_RSS_FILE;
if (file) process.on('exit', () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
