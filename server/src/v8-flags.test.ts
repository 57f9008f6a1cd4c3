import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { V8_FLAGS } from './v8-flags.js';

/**
 * How many of 100 objects from a site whose objects always survived scavenges are still made in the young
 * generation, in a node process that set `flags` at run time (as the gateway does) before any of it ran.
 */
function youngAfterSurvivors(flags: string[]): number {
  const script = `
    for (const flag of ${JSON.stringify(flags)}) require('node:v8').setFlagsFromString(flag);
    function make() { return { a: 1, b: 2 }; }
    const keep = [];
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 50000; i++) keep.push(make());
      gc({ type: 'minor' });
      if (round === 3) {
        %PrepareFunctionForOptimization(make); make(); %OptimizeFunctionOnNextCall(make); make();
      }
    }
    let young = 0;
    for (let i = 0; i < 100; i++) if (%InYoungGeneration(make())) young++;
    process.stdout.write(String(young));
  `;
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--expose-gc', '-e', script], {
    encoding: 'utf8',
  });
  return Number(out);
}

describe('V8 flags', () => {
  it('keep short-lived objects young even where their allocation site once saw survivors', () => {
    // Without the flags V8 pretenures this site, so the check can tell the difference; but V8 decides
    // that from timing too, and on a loaded machine about one try in twenty keeps it young anyway.
    const tries = [0, 1, 2];
    expect(tries.some(() => youngAfterSurvivors([]) === 0)).toBe(true);
    for (const _ of tries) expect(youngAfterSurvivors(V8_FLAGS)).toBe(100);
  });

  it('are set before the rest of the gateway is loaded', () => {
    const main = readFileSync(new URL('./main.ts', import.meta.url), 'utf8');
    expect(main.match(/^import .*$/m)?.[0]).toBe("import './v8-flags.js';");
  });
});
