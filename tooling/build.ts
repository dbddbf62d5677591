/**
 * `npm run build`: what `sam build` does for this template's esbuild functions, without SAM CLI or Docker.
 * Each AWS::Serverless::Function with `Metadata.BuildMethod: esbuild` is bundled with its BuildProperties
 * (SAM's names mapped to esbuild's options) into .aws-sam/build/<LogicalId>/, as SAM lays it out.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BuildOptions, build } from 'esbuild';
import { type FunctionDefinition, serverlessFunctions } from './template';

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
  return {
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, fn.entryPoint)],
    outdir: join(outDir, fn.logicalId),
    bundle: true,
    platform: 'node',
    format: props.Format === 'esm' ? 'esm' : 'cjs',
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

Bundles every esbuild function of template.yaml as sam build would (default out: .aws-sam/build).
`);
    return;
  }
  const started = Date.now();
  const built = await buildFunctions({ outDir: values.out, only: values.function });
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
