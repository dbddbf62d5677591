import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layout's one dependency rule, checked on every production file:
 * - a feature's domain (`functions/<feature>/domain/`) imports only domain code, event schemas and the few
 *   pure platform helpers: no adapter, no SDK, no I/O;
 * - AWS SDK commands are built only in adapters (`adapters/` folders and the platform's DynamoDB helpers), and
 *   only adapters, platform code and composition roots (handler.ts, config.ts) import an AWS SDK or Slack package;
 * - platform and event schemas know no feature; the action runtime package imports nothing of the app;
 * - production code never reaches local mode, tooling or tests;
 * - features do not import each other in a cycle (composition roots excluded: they may wire anything).
 */
const ROOT = join(import.meta.dirname, '..', '..');
const FEATURES = ['history', 'approvals', 'rollback', 'actions', 'delivery-metrics', 'read-api', 'ci-ingest'];
const PURE_PLATFORM = new Set([
  '#platform/errors',
  '#platform/without-undefined',
  '#platform/slack/slack-ids',
]);
const PURE_PACKAGES = new Set(['zod', 'zod/mini']);

interface SourceFile {
  path: string;
  text: string;
  imports: string[];
}

function sourceFiles(dir: string): SourceFile[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => {
      const path = relative(ROOT, join(entry.parentPath, entry.name));
      const text = readFileSync(join(ROOT, path), 'utf8');
      const imports = ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
      return { path, text, imports };
    });
}

const functions = sourceFiles('functions');
const runtime = sourceFiles('layers/action-runtime/src');
const featureOf = (path: string) => path.split('/')[1] ?? '';
const isDomain = (path: string) => /^functions\/[^/]+\/domain\//.test(path);
const isAdapter = (path: string) => path.includes('/adapters/') || path.startsWith('functions/platform/');
const isCompositionRoot = (path: string) => /\/(handler|config)\.ts$/.test(path);

/** The feature an import names (`#rollback/…`, or a relative path into another feature's folder). */
function importedFeature(file: SourceFile, specifier: string): string | undefined {
  if (specifier.startsWith('#')) return specifier.slice(1).split('/')[0];
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(ROOT, join(ROOT, file.path, '..', specifier));
  return target.startsWith('functions/') ? featureOf(target) : undefined;
}

describe('the dependency rule', () => {
  it('finds the production code it checks', () => {
    expect(functions.filter((file) => isDomain(file.path)).length).toBeGreaterThan(25);
    expect(runtime.length).toBeGreaterThan(5);
  });

  it('keeps every domain free of adapters, SDKs and I/O', () => {
    const violations = functions
      .filter((file) => isDomain(file.path))
      .flatMap((file) =>
        file.imports
          .filter((specifier) => {
            if (specifier.startsWith('.')) return specifier.includes('adapters');
            if (specifier.startsWith('#')) {
              return !(
                /^#[^/]+\/domain\//.test(specifier) ||
                specifier.startsWith('#events/') ||
                PURE_PLATFORM.has(specifier)
              );
            }
            return !PURE_PACKAGES.has(specifier);
          })
          .map((specifier) => `${file.path} imports ${specifier}`),
      );
    expect(violations).toEqual([]);
  });

  it('builds AWS SDK commands only in adapters', () => {
    const violations = functions
      .filter((file) => !isAdapter(file.path))
      .filter((file) => /\bnew [A-Z]\w*Command\(|\bpaginate[A-Z]\w*\(/.test(file.text))
      .map((file) => file.path);
    expect(violations).toEqual([]);
  });

  it('lets only adapters, platform code and composition roots import AWS SDK or Slack packages', () => {
    const violations = functions
      .filter((file) => !isAdapter(file.path) && !isCompositionRoot(file.path))
      .flatMap((file) =>
        file.imports
          .filter((specifier) => /^@aws-sdk\/|^@smithy\/|^@slack\/web-api/.test(specifier))
          .map((specifier) => `${file.path} imports ${specifier}`),
      );
    expect(violations).toEqual([]);
  });

  it('keeps platform code and event schemas ignorant of the features', () => {
    const violations = functions
      .filter(
        (file) => file.path.startsWith('functions/platform/') || file.path.startsWith('functions/events/'),
      )
      .flatMap((file) =>
        file.imports
          .filter((specifier) => FEATURES.includes(importedFeature(file, specifier) ?? ''))
          .map((specifier) => `${file.path} imports ${specifier}`),
      );
    expect(violations).toEqual([]);
  });

  it('keeps the action runtime package free of the app', () => {
    const violations = runtime.flatMap((file) =>
      file.imports
        .filter((specifier) => specifier.startsWith('#') || specifier.includes('functions/'))
        .map((specifier) => `${file.path} imports ${specifier}`),
    );
    expect(violations).toEqual([]);
  });

  it('never lets production code reach local mode, tooling or tests', () => {
    const violations = [...functions, ...runtime].flatMap((file) => [
      ...file.imports
        .filter((specifier) => /(^|\/)(local|tooling|tests)\//.test(specifier))
        .map((specifier) => `${file.path} imports ${specifier}`),
      ...(/PIPELINE_CONTROL_PLANE_LOCAL|LOCAL_MODE/.test(file.text) ? [`${file.path} knows local mode`] : []),
    ]);
    expect(violations).toEqual([]);
  });

  it('has no import cycle between features (composition roots aside)', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of functions.filter((candidate) => !isCompositionRoot(candidate.path))) {
      const from = featureOf(file.path);
      if (!FEATURES.includes(from)) continue;
      for (const specifier of file.imports) {
        const to = importedFeature(file, specifier);
        if (to && to !== from && FEATURES.includes(to)) {
          edges.set(from, (edges.get(from) ?? new Set()).add(to));
        }
      }
    }
    const cycles: string[] = [];
    for (const [from, targets] of edges) {
      for (const to of targets) if (edges.get(to)?.has(from) && from < to) cycles.push(`${from} <-> ${to}`);
    }
    expect(cycles).toEqual([]);
  });
});
