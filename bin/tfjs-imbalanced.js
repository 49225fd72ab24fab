#!/usr/bin/env node
// The `tfjs-imbalanced` command: runs the CommonJS build of src/cli/bin.ts
// (dist/ is built by `npm run build`, which `npm ci` / `npm install` run as `prepare`).
'use strict';
try {
  require('../dist/cjs/cli/bin.js');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('dist/cjs/cli/bin.js')) {
    process.stderr.write('tfjs-imbalanced: the package is not built yet; run `npm run build` in its directory first.\n');
    process.exitCode = 1;
  } else {
    throw e;
  }
}
