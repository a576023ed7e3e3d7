#!/usr/bin/env node
// `npm test`: every check and every test suite, in one command. Lint (with module boundaries),
// type checks, the web build, then one Jest run over unit, integration, fault and browser suites.
// The last line counts tests from Jest's own JSON report: `tests: N passed, N failed[, N skipped]`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const failedChecks = [];

function step(name, command, args, env = {}) {
  process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) failedChecks.push(name);
  return result.status === 0;
}

const bin = (name) => join('node_modules', '.bin', name);

step('lint', bin('nx'), ['run-many', '-t', 'lint', '--output-style=static'], { NX_DAEMON: 'false', NX_NO_CLOUD: 'true' });
// Suites and benchmarks belong to no Nx project; they keep the same rules.
step('lint tests and benchmarks', bin('eslint'), ['test', 'bench']);
step('typecheck', bin('tsc'), ['-p', 'tsconfig.json']);
if (existsSync('apps/web/tsconfig.json')) step('typecheck web', bin('tsc'), ['-p', 'apps/web/tsconfig.json']);
if (existsSync('apps/web/vite.config.ts')) step('build web', bin('vite'), ['build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn']);

const report = join(mkdtempSync(join(tmpdir(), 'quire-jest-')), 'report.json');
const jestArgs = ['--json', `--outputFile=${report}`, '--maxWorkers=2', ...process.argv.slice(2)];
step('tests', bin('jest'), jestArgs);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  skipped = results.numPendingTests + results.numTodoTests;
  // A suite that fails to load has no failed test in the count; count it so it cannot hide.
  failed += results.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
}
const checksFailed = failedChecks.filter((c) => c !== 'tests');
if (checksFailed.length) process.stdout.write(`\nFailed checks (each counted as one failed test): ${checksFailed.join(', ')}\n`);
failed += checksFailed.length;
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 || failedChecks.length ? 1 : 0);
