#!/usr/bin/env node
// `npm run api:update`: one API report per entry point of the library, each configured by a
// libs/redis-config/api-extractor*.json (the root's, `/publisher`'s, ...). Extra arguments go to
// api-extractor (`--local` rewrites the reports; without it, a changed API fails).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const LIBRARY = path.resolve(__dirname, '../libs/redis-config');
const BIN = path.resolve(__dirname, '../node_modules/.bin/api-extractor');

/** The api-extractor configurations of the library, one per entry point. */
function apiExtractorConfigs() {
  return fs
    .readdirSync(LIBRARY)
    .filter((name) => /^api-extractor(\..+)?\.json$/.test(name))
    .sort();
}

module.exports = { apiExtractorConfigs, LIBRARY, BIN };

if (require.main === module) {
  for (const config of apiExtractorConfigs()) {
    execFileSync(BIN, ['run', '--config', config, ...process.argv.slice(2)], {
      cwd: LIBRARY,
      stdio: 'inherit',
    });
  }
}
