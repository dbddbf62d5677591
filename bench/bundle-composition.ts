import { build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../tooling/build';
import type { FunctionDefinition } from '../tooling/template';

// The AWS SDK and its runtime: what every function needs and the baseline imports too.
const SDK =
  /node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws\/lambda-invoke-store|tslib|fast-xml-parser|strnum|bowser)\//;

type Outputs = Metafile['outputs'];

/**
 * The outputs a cold start loads: the entry and every chunk it imports statically, transitively. The rest
 * are chunks reached only through `import(…)`, loaded when that code first runs.
 */
export function loadedAtStart(outputs: Outputs): Set<string> {
  const loaded = new Set<string>();
  const visit = (path: string) => {
    if (loaded.has(path)) return;
    loaded.add(path);
    for (const imported of outputs[path]?.imports ?? [])
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  // esbuild names a chunk made for an `import(…)` an entry point too: the function's entry is the one
  // nothing imports.
  const imported = new Set(
    Object.values(outputs).flatMap((output) => output.imports.map(({ path }) => path)),
  );
  for (const [path, output] of Object.entries(outputs))
    if (output.entryPoint && !imported.has(path)) visit(path);
  return loaded;
}

const packageOf = (path: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? 'our code';

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

/** SDK and non-SDK bytes of a set of outputs, with the five largest non-SDK packages. */
function composition(outputs: Outputs, paths: Iterable<string>) {
  let sdkBytes = 0;
  const nonSdk: Record<string, number> = {};
  for (const path of paths) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[path]?.inputs ?? {})) {
      if (SDK.test(input)) sdkBytes += bytesInOutput;
      else nonSdk[packageOf(input)] = (nonSdk[packageOf(input)] ?? 0) + bytesInOutput;
    }
  }
  const nonSdkBytes = Object.values(nonSdk).reduce((sum, bytes) => sum + bytes, 0);
  const largest = Object.entries(nonSdk)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, bytes]) => ({ name, kb: kb(bytes) }));
  return { sdkKb: kb(sdkBytes), nonSdkKb: kb(nonSdkBytes), largest };
}

/**
 * Bytes of each bundle's output that come from our code and non-SDK libraries (esbuild's metafile), so the
 * budget measures what a function carries beyond the SDK, and the largest inputs show what to split or defer.
 * What a cold start loads (`nonSdkKb`, the entry and its static chunks) is counted apart from the chunks
 * loaded lazily (`lazy`), so splitting code off is seen, not hidden.
 */
export async function bundleComposition(fn: FunctionDefinition, outDir: string) {
  const result = await build({ ...esbuildOptions(fn, outDir), write: false, metafile: true });
  const outputs = (result.metafile as Metafile).outputs;
  const code = Object.keys(outputs).filter((path) => !path.endsWith('.map'));
  const atStart = loadedAtStart(outputs);
  return {
    ...composition(outputs, atStart),
    lazy: composition(
      outputs,
      code.filter((path) => !atStart.has(path)),
    ),
  };
}
