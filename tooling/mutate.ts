/**
 * `npm run mutate -- [--jobs N] [file…]` (or `-- --summary` to re-read the reports): mutation testing of the pure deciders with Stryker.
 * Each decider gets its own Stryker run (its own config, sandbox and report), so one slow file never holds up
 * the others and a file can be re-run alone after its tests change. The command test runner drives vitest
 * (Stryker's vitest runner does not support vitest 5 yet) over only the unit tests whose import graph reaches
 * the decider, so a mutant costs one short vitest run.
 * Reports land in .scratch/mutation/<file>.json (the mutation-testing-report schema) and a summary table in
 * .scratch/mutation/summary.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, globSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { childCpuSeconds } from './child-cpu-time';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = join(ROOT, '.scratch', 'mutation');

/** The pure decision code: every domain module, the action deciders and the Slack signature check. */
export const DECIDER_PATTERNS = [
  'functions/*/domain/**/*.ts',
  'functions/actions/*/decide-*.ts',
  'functions/approvals/slack-interactions/verify-slack-signature.ts',
];

const UNIT_TESTS = 'tests/unit/**/*.test.ts';

const IMPORT_SPECIFIER =
  /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function packageImports(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    imports: Record<string, string>;
  };
  return manifest.imports;
}

/** Resolves an import specifier to a project file, or undefined for packages and node built-ins. */
function resolveSpecifier(specifier: string, fromFile: string, imports: Record<string, string>) {
  let target: string | undefined;
  if (specifier.startsWith('.')) {
    target = resolve(dirname(fromFile), specifier);
  } else if (specifier.startsWith('#')) {
    for (const [pattern, mapped] of Object.entries(imports)) {
      const prefix = pattern.replace('*', '');
      if (specifier.startsWith(prefix)) {
        target = resolve(ROOT, mapped.replace('*.ts', specifier.slice(prefix.length)));
      }
    }
  }
  if (target === undefined) return undefined;
  for (const candidate of [target, `${target}.ts`, join(target, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Every project file a module reaches through its static and dynamic imports. */
function reachableFiles(entry: string, imports: Record<string, string>): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const resolved of directImports(file, imports)) if (!seen.has(resolved)) pending.push(resolved);
  }
  return seen;
}

function directImports(file: string, imports: Record<string, string>): Set<string> {
  const found = new Set<string>();
  for (const match of readFileSync(file, 'utf8').matchAll(IMPORT_SPECIFIER)) {
    const resolved = resolveSpecifier(match[1] ?? match[2] ?? '', file, imports);
    if (resolved !== undefined) found.add(resolved);
  }
  return found;
}

/**
 * The unit test files that import the decider itself; when none does, those that reach it through helpers and
 * other modules. Suites that only pass through a decider on their way to something else would multiply the
 * cost of every mutant while rarely killing one the decider's own tests let live.
 */
export function testsReaching(decider: string): string[] {
  const imports = packageImports();
  const target = resolve(ROOT, decider);
  const unitTests = globSync(UNIT_TESTS, { cwd: ROOT }).sort();
  const direct = unitTests.filter((testFile) => directImports(resolve(ROOT, testFile), imports).has(target));
  if (direct.length > 0) return direct;
  return unitTests.filter((testFile) => reachableFiles(resolve(ROOT, testFile), imports).has(target));
}

function slug(file: string): string {
  return file.replace(/\.ts$/, '').replaceAll('/', '__');
}

interface FileScore {
  file: string;
  tests: number;
  killed: number;
  timedOut: number;
  survived: number;
  noCoverage: number;
  other: number;
  survivors: string[];
  /** CPU seconds the file's Stryker run used, known when files run one at a time (`--jobs 1`). */
  cpuSeconds?: number;
}

/** Stryker's mutation score: detected (killed or timed out) over detected plus undetected. */
export function mutationScore(score: Pick<FileScore, 'killed' | 'timedOut' | 'survived' | 'noCoverage'>) {
  const detected = score.killed + score.timedOut;
  const total = detected + score.survived + score.noCoverage;
  return total === 0 ? 100 : (100 * detected) / total;
}

interface MutantResult {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}

function readScore(file: string, tests: number, reportFile: string): FileScore {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
    files: Record<string, { mutants: MutantResult[] }>;
  };
  const mutants = Object.values(report.files).flatMap((entry) => entry.mutants);
  const count = (status: string) => mutants.filter((mutant) => mutant.status === status).length;
  const survivors = mutants
    .filter((mutant) => mutant.status === 'Survived' || mutant.status === 'NoCoverage')
    .map(
      (mutant) =>
        `${file}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName} → ${JSON.stringify(mutant.replacement ?? '')}`,
    );
  const killed = count('Killed');
  const timedOut = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  return {
    file,
    tests,
    killed,
    timedOut,
    survived,
    noCoverage,
    other: mutants.length - killed - timedOut - survived - noCoverage,
    survivors,
  };
}

function runStryker(file: string, tests: string[], concurrency: number): Promise<FileScore | undefined> {
  const name = slug(file);
  const reportFile = join(OUT_DIR, `${name}.json`);
  const configFile = join(OUT_DIR, `${name}.stryker.json`);
  const config = {
    $schema: '../../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    mutate: [file],
    testRunner: 'command',
    commandRunner: {
      command: `node node_modules/vitest/vitest.mjs run --config tooling/vitest.mutate.config.ts --bail 1 ${tests.join(' ')}`,
    },
    // The command runner cannot attribute coverage to tests, so every mutant runs the decider's tests.
    coverageAnalysis: 'off',
    concurrency,
    reporters: ['json', 'progress'],
    jsonReporter: { fileName: relative(ROOT, reportFile) },
    tempDirName: relative(ROOT, join(OUT_DIR, `sandbox-${name}`)),
    // Parallel runs must not copy each other's sandboxes, nor build output, into their own.
    ignorePatterns: ['.scratch', '.aws-sam', 'dist', 'coverage', '.local', 'tests/e2e/screenshots'],
    timeoutMS: 10_000,
  };
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  return new Promise((done) => {
    const child = spawn('npx', ['stryker', 'run', relative(ROOT, configFile)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => log.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => log.push(chunk));
    child.on('close', (code) => {
      writeFileSync(join(OUT_DIR, `${name}.log`), Buffer.concat(log));
      if (code !== 0 || !existsSync(reportFile)) {
        console.error(
          `${file}: Stryker exited with ${code}; see ${relative(ROOT, join(OUT_DIR, `${name}.log`))}`,
        );
        done(undefined);
        return;
      }
      done(readScore(file, tests.length, reportFile));
    });
  });
}

function summaryTable(scores: FileScore[]): string {
  const rows = scores.map(
    (score) =>
      `| \`${score.file}\` | ${score.killed} | ${score.timedOut} | ${score.survived + score.noCoverage} | ${mutationScore(score).toFixed(1)} % | ${score.cpuSeconds === undefined ? '' : Math.round(score.cpuSeconds)} |`,
  );
  const total = scores.reduce(
    (sum, score) => ({
      killed: sum.killed + score.killed,
      timedOut: sum.timedOut + score.timedOut,
      survived: sum.survived + score.survived,
      noCoverage: sum.noCoverage + score.noCoverage,
    }),
    { killed: 0, timedOut: 0, survived: 0, noCoverage: 0 },
  );
  return [
    '| file | killed | timed out | survived | score | CPU s |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    `| **all** | ${total.killed} | ${total.timedOut} | ${total.survived + total.noCoverage} | **${mutationScore(total).toFixed(1)} %** | |`,
  ].join('\n');
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { jobs: { type: 'string', default: '1' }, summary: { type: 'boolean', default: false } },
  });
  if (values.summary) {
    // Re-reads the reports already written (for instance by runs in separate processes), without running.
    const reports = globSync('*.json', { cwd: OUT_DIR }).filter((name) => !name.endsWith('.stryker.json'));
    const scores = reports
      .map((name) =>
        readScore(`${name.replace(/\.json$/, '').replaceAll('__', '/')}.ts`, 0, join(OUT_DIR, name)),
      )
      .sort((left, right) => left.file.localeCompare(right.file));
    writeSummary(scores);
    return;
  }
  const jobs = Math.max(1, Number(values.jobs));
  const concurrency = Math.max(1, Math.floor(availableParallelism() / jobs));
  const files =
    positionals.length > 0
      ? positionals.map((file) => relative(ROOT, resolve(file)))
      : DECIDER_PATTERNS.flatMap((pattern) => globSync(pattern, { cwd: ROOT })).sort();
  mkdirSync(OUT_DIR, { recursive: true });

  const queue = files.map((file) => ({ file, tests: testsReaching(file) }));
  const untested = queue.filter((entry) => entry.tests.length === 0).map((entry) => entry.file);
  if (untested.length > 0) console.warn(`No unit test reaches: ${untested.join(', ')}`);
  const scores: FileScore[] = [];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (next.tests.length === 0) continue;
      const started = Date.now();
      const cpuBefore = childCpuSeconds();
      const score = await runStryker(next.file, next.tests, concurrency);
      if (score === undefined) continue;
      const cpuAfter = childCpuSeconds();
      // With several files at once the children's CPU cannot be told apart; only the run's total is kept.
      if (jobs === 1 && cpuBefore !== undefined && cpuAfter !== undefined)
        score.cpuSeconds = cpuAfter - cpuBefore;
      scores.push(score);
      const minutes = ((Date.now() - started) / 60_000).toFixed(1);
      const cpu = score.cpuSeconds === undefined ? '' : `, ${Math.round(score.cpuSeconds)} s CPU`;
      console.info(
        `${score.file}: ${mutationScore(score).toFixed(1)} % (${score.killed} killed, ${score.timedOut} timed out, ${score.survived + score.noCoverage} survived) in ${minutes} min${cpu}`,
      );
      for (const survivor of score.survivors) console.info(`  survived ${survivor}`);
    }
  };
  const cpuAtStart = childCpuSeconds();
  await Promise.all(Array.from({ length: jobs }, worker));
  writeSummary(scores.sort((left, right) => left.file.localeCompare(right.file)));
  const cpuAtEnd = childCpuSeconds();
  if (cpuAtStart !== undefined && cpuAtEnd !== undefined) {
    const seconds = cpuAtEnd - cpuAtStart;
    // CPU time does not depend on what else the machine runs, so it gives the idle two-core budget honestly.
    console.info(
      `CPU time of this run: ${Math.round(seconds)} s; on two idle cores that is about ${(seconds / 2 / 60).toFixed(1)} min of wall time.`,
    );
  }
}

function writeSummary(scores: FileScore[]) {
  const table = summaryTable(scores);
  const survivors = scores.flatMap((score) => score.survivors).join('\n');
  writeFileSync(join(OUT_DIR, 'summary.md'), `${new Date().toISOString()}\n\n${table}\n\n${survivors}\n`);
  console.info(`\n${table}\n\n${survivors}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
