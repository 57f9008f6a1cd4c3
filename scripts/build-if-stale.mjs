#!/usr/bin/env node
// Builds a workspace only when its sources changed since its last build, so a second
// `npm start` is up in seconds. The fingerprint is a hash of the source files' contents.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const WORKSPACES = [
  {
    name: 'server',
    inputs: ['src', 'package.json', 'tsconfig.build.json', '../tsconfig.base.json', '../package-lock.json'],
    stamp: 'dist/.build-stamp',
  },
  {
    name: 'web',
    inputs: ['src', 'index.html', 'public', 'package.json', 'vite.config.ts', '../package-lock.json'],
    stamp: 'dist/.build-stamp',
  },
];

function listFiles(target) {
  if (!existsSync(target)) return [];
  if (statSync(target).isFile()) return [target];
  return readdirSync(target, { withFileTypes: true })
    .flatMap((entry) => listFiles(path.join(target, entry.name)))
    .filter((file) => !/\.test\.tsx?$/.test(file));
}

function fingerprint(dir, inputs) {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((input) => listFiles(path.join(dir, input))).sort()) {
    hash.update(path.relative(dir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

for (const { name, inputs, stamp } of WORKSPACES) {
  const dir = path.join(root, name);
  const stampPath = path.join(dir, stamp);
  const current = fingerprint(dir, inputs);
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === current) continue;
  process.stdout.write(`building ${name}…\n`);
  execFileSync('npm', ['run', 'build', '-w', name], { cwd: root, stdio: 'inherit' });
  writeFileSync(stampPath, current);
}
