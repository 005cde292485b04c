// Builds the multi-buffer SM3 addon (native/sm3mb) at `npm install` / `npm ci` time.
//
// Plain JavaScript and the system C compiler, no node-gyp: the addon is one C file against
// Node-API, whose headers come with Node (here /usr/include/node). If there is no compiler or no
// headers the install still succeeds and says so: the platform then digests with OpenSSL's SM3
// (src/platform/crypto/sm3-lanes.ts), which gives the same digests, only slower.
//
//   node scripts/build-native.mjs [--required]   (--required: fail instead of warning; CI uses it)

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'native/sm3mb/sm3mb.c');
const target = path.join(root, 'native/sm3mb/build/sm3mb.node');
const required = process.argv.includes('--required');

function headerDirs() {
  const dirs = [];
  if (process.env.npm_config_nodedir) dirs.push(path.join(process.env.npm_config_nodedir, 'include/node'));
  dirs.push(path.join(path.dirname(process.execPath), '../include/node'), '/usr/include/node', '/usr/local/include/node');
  return dirs;
}

const tmp = `${target}.${process.pid}.tmp`;
try {
  const include = headerDirs().find((d) => fs.existsSync(path.join(d, 'node_api.h')));
  if (!include) throw new Error(`node_api.h not found in ${headerDirs().join(', ')}`);
  const cc = process.env.CC || 'cc';
  fs.mkdirSync(path.dirname(target), { recursive: true });
  execFileSync(cc, ['-O3', '-std=gnu11', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC', `-I${include}`, '-o', tmp, source], { stdio: 'inherit' });
  fs.renameSync(tmp, target);
  process.stdout.write(`sm3mb: built ${path.relative(root, target)}\n`);
} catch (e) {
  fs.rmSync(tmp, { force: true });
  const message = e instanceof Error ? e.message : String(e);
  if (required) {
    process.stderr.write(`sm3mb: build failed: ${message}\n`);
    process.exit(1);
  }
  process.stderr.write(`sm3mb: not built (${message}); bid intake digests with OpenSSL's SM3 instead\n`);
}
