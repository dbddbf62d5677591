/**
 * `npm run build`: what `sam build` does for this template, without SAM CLI or Docker.
 * Each AWS::Serverless::Function with `Metadata.BuildMethod: esbuild` is bundled with its BuildProperties
 * (SAM's names mapped to esbuild's options) into .aws-sam/build/<LogicalId>/, the makefile layer is built by
 * its Makefile into .aws-sam/build/<LogicalId>/, and .aws-sam/build/template.yaml points CodeUri and
 * ContentUri at those folders, so `sam deploy` (which reads that template) packages what was built here.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BuildOptions, build } from 'esbuild';
import { stringify } from 'yaml';
import { type FunctionDefinition, loadTemplate, serverlessFunctions } from './template';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_OUT_DIR = join(ROOT, '.aws-sam', 'build');

export interface BuiltFunction {
  logicalId: string;
  bundle: string;
  bytes: number;
}

/** esbuild options equivalent to SAM's for one function. */
export function esbuildOptions(fn: FunctionDefinition, outDir: string): BuildOptions {
  const props = fn.buildProperties;
  const pairs = (list: string[] | undefined) =>
    Object.fromEntries(
      (list ?? []).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    );
  const format = props.Format === 'esm' ? 'esm' : 'cjs';
  return {
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, fn.entryPoint)],
    outdir: join(outDir, fn.logicalId),
    bundle: true,
    platform: 'node',
    format,
    // ES modules may be split: what a function imports dynamically (`await import(…)`) becomes a chunk of its
    // own, loaded only when that code runs, so a cold start does not parse it.
    splitting: format === 'esm',
    minify: props.Minify ?? false,
    target: props.Target ?? 'es2020',
    sourcemap: props.Sourcemap ?? false,
    external: props.External ?? [],
    outExtension: pairs(props.OutExtension),
    banner: pairs(props.Banner),
    logLevel: 'warning',
    metafile: true,
  };
}

export async function buildFunctions(
  options: { outDir?: string; only?: string[] } = {},
): Promise<BuiltFunction[]> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const functions = serverlessFunctions().filter(
    (fn) => !options.only?.length || options.only.includes(fn.logicalId),
  );
  return Promise.all(
    functions.map(async (fn) => {
      rmSync(join(outDir, fn.logicalId), { recursive: true, force: true });
      mkdirSync(join(outDir, fn.logicalId), { recursive: true });
      const extension = esbuildOptions(fn, outDir).outExtension?.['.js'] ?? '.js';
      await build(esbuildOptions(fn, outDir));
      const bundle = join(outDir, fn.logicalId, `handler${extension}`);
      return { logicalId: fn.logicalId, bundle, bytes: statSync(bundle).size };
    }),
  );
}

/** Makefile layers, built as `sam build` does: `make build-<LogicalId>` with ARTIFACTS_DIR set. */
export function buildLayers(outDir = DEFAULT_OUT_DIR): string[] {
  const template = loadTemplate();
  return Object.entries(template.Resources)
    .filter(
      ([, resource]) =>
        resource.Type === 'AWS::Serverless::LayerVersion' && resource.Metadata?.BuildMethod === 'makefile',
    )
    .map(([logicalId, resource]) => {
      const artifacts = join(outDir, logicalId);
      rmSync(artifacts, { recursive: true, force: true });
      mkdirSync(artifacts, { recursive: true });
      const source = join(ROOT, String(resource.Properties?.ContentUri));
      const make = spawnSync('make', ['-C', source, `build-${logicalId}`, `ARTIFACTS_DIR=${artifacts}`], {
        encoding: 'utf8',
      });
      if (make.status !== 0) throw new Error(`make build-${logicalId} failed: ${make.stderr || make.error}`);
      return logicalId;
    });
}

/** The template `sam deploy` reads after a build: code locations are the built folders (relative to it). */
export function writeBuiltTemplate(outDir = DEFAULT_OUT_DIR): string {
  const template = loadTemplate();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::Serverless::Function' && resource.Properties)
      resource.Properties.CodeUri = logicalId;
    if (resource.Type === 'AWS::Serverless::LayerVersion' && resource.Properties)
      resource.Properties.ContentUri = logicalId;
  }
  const path = join(outDir, 'template.yaml');
  // YAML 1.1 quoting: CloudFormation reads OFF, yes or no unquoted as booleans.
  writeFileSync(path, stringify(template, { lineWidth: 0, version: '1.1' }));
  return path;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      function: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`Usage: npm run build -- [--out <dir>] [--function <LogicalId> ...]

Bundles every esbuild function and builds the makefile layer of template.yaml as sam build would, then
writes <out>/template.yaml for sam deploy (default out: .aws-sam/build). With --function, only those
functions are bundled and no template is written.
`);
    return;
  }
  const started = Date.now();
  const built = await buildFunctions({ outDir: values.out, only: values.function });
  if (!values.function?.length) {
    for (const layer of buildLayers(values.out)) console.info(`${layer.padEnd(34)} (makefile layer)`);
    console.info(
      `Wrote ${relative(ROOT, writeBuiltTemplate(values.out))}: sam deploy packages these artifacts`,
    );
  }
  for (const fn of built.sort((a, b) => a.logicalId.localeCompare(b.logicalId))) {
    console.info(
      `${fn.logicalId.padEnd(34)} ${(fn.bytes / 1024).toFixed(1).padStart(8)} KB  ${relative(ROOT, fn.bundle)}`,
    );
  }
  console.info(`Built ${built.length} functions in ${Date.now() - started} ms`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(`build failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
