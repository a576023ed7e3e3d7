#!/usr/bin/env node
// Keeps package-lock.json installable with `npm ci` from a registry that serves only the
// packages this platform can use. Such a registry answers 404 for the other platforms' optional
// builds (e.g. @swc/core-darwin-arm64), so `npm install` leaves them out of the lock file while
// their parents still list them, and `npm ci` then refuses the lock as out of sync. This drops
// those unresolvable names from the parents' optionalDependencies. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const present = new Set(Object.keys(lock.packages).map((path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)));
let dropped = 0;
for (const entry of Object.values(lock.packages)) {
  if (!entry.optionalDependencies) continue;
  for (const name of Object.keys(entry.optionalDependencies)) {
    if (!present.has(name)) {
      delete entry.optionalDependencies[name];
      dropped++;
    }
  }
  if (Object.keys(entry.optionalDependencies).length === 0) delete entry.optionalDependencies;
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`prune-lockfile: dropped ${dropped} optional dependencies this registry does not serve\n`);
