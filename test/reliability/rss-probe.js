// Preloaded into a child (`node -r rss-probe.js ...`): on exit, writes the process's peak RSS in KiB
// to $REMASTER_RSS_FILE, so tests can report real memory figures of a real CLI run.
const fs = require('node:fs');
process.on('exit', () => {
  if (process.env.REMASTER_RSS_FILE) fs.writeFileSync(process.env.REMASTER_RSS_FILE, String(process.resourceUsage().maxRSS));
});
