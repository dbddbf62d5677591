import { build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../tooling/build';
import type { FunctionDefinition } from '../tooling/template';

// The AWS SDK and its runtime: what every function needs and the baseline imports too.
const SDK =
  /node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws\/lambda-invoke-store|tslib|fast-xml-parser|strnum|bowser)\//;

/**
 * Bytes of each bundle's output that come from our code and non-SDK libraries (esbuild's metafile), so the
 * budget measures what a function carries beyond the SDK, and the largest inputs show what to split or defer.
 */
export async function bundleComposition(fn: FunctionDefinition, outDir: string) {
  const result = await build({ ...esbuildOptions(fn, outDir), write: false, metafile: true });
  const metafile = result.metafile as Metafile;
  const inputs: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      inputs[path] = (inputs[path] ?? 0) + bytesInOutput;
    }
  }
  const packageOf = (path: string) => {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    return match ? match[1] : 'our code';
  };
  let sdkBytes = 0;
  const nonSdk: Record<string, number> = {};
  for (const [path, bytes] of Object.entries(inputs)) {
    if (SDK.test(path)) sdkBytes += bytes;
    else nonSdk[packageOf(path) as string] = (nonSdk[packageOf(path) as string] ?? 0) + bytes;
  }
  const nonSdkBytes = Object.values(nonSdk).reduce((sum, bytes) => sum + bytes, 0);
  const largest = Object.entries(nonSdk)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, bytes]) => ({ name, kb: Math.round(bytes / 102.4) / 10 }));
  return {
    sdkKb: Math.round(sdkBytes / 102.4) / 10,
    nonSdkKb: Math.round(nonSdkBytes / 102.4) / 10,
    largest,
  };
}
