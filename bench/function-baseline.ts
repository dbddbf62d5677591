import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../tooling/build';
import type { FunctionDefinition } from '../tooling/template';
import { loadedAtStart } from './bundle-composition';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLIENT_PACKAGE = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\//;

/**
 * The source of one function's cold-start baseline: a handler that constructs a client of every AWS SDK
 * client package the function's bundle loads at start (a DocumentClient too when it uses one) and, on its
 * event, sends the same AWS operations, as many times, that the function sent on the same event against the
 * same local stubs. Each call carries an empty input (the stub answers anything; the engine refuses it, after
 * a full round trip), and the calls go one after another. What the function takes beyond this is the cost of
 * our code and libraries, not of the SDK or the network. Calls to Slack are not replayed.
 */
export function baselineSource(metafile: Metafile, calls: Readonly<Record<string, number>>): string {
  const packages = new Set<string>();
  for (const path of loadedAtStart(metafile.outputs))
    for (const input of Object.keys(metafile.outputs[path]?.inputs ?? {})) {
      const match = CLIENT_PACKAGE.exec(input);
      if (match?.[1]) packages.add(match[1]);
    }
  const usesDocumentClient = Object.values(metafile.outputs).some((output) =>
    Object.keys(output.inputs).some((input) => input.includes('node_modules/@aws-sdk/lib-dynamodb/')),
  );
  // The SDK's packages resolve to one CommonJS file each (no tree shaking): importing a whole package costs
  // the baseline what the function pays for it already.
  const names = [...packages].map((_, index) => `sdk${index}`);
  const lines = [
    ...[...packages].map((pkg, index) => `import * as ${names[index]} from '${pkg}';`),
    ...(usesDocumentClient ? [`import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`] : []),
    `type Module = Record<string, unknown>;`,
    `type Sendable = { send(command: unknown): Promise<unknown> };`,
    `type Constructor = new (input: object) => unknown;`,
    `const clients = ([${names.join(', ')}] as Module[]).map((module) => {`,
    `  const [, Client] = Object.entries(module).find(([name, value]) => /^[A-Z]\\w*Client$/.test(name) && typeof value === 'function' && 'send' in (value as { prototype: object }).prototype) ?? [];`,
    `  return { module, client: new (Client as Constructor)({}) as Sendable };`,
    `});`,
    ...(usesDocumentClient
      ? [
          `const dynamo = clients.find(({ module }) => 'DynamoDBClient' in module);`,
          `if (dynamo) DynamoDBDocumentClient.from(dynamo.client as never);`,
        ]
      : []),
    `const calls: Record<string, number> = ${JSON.stringify(calls)};`,
    `export const handler = async () => {`,
    `  const sent: Record<string, number> = {};`,
    `  for (const [operation, count] of Object.entries(calls)) {`,
    `    const owner = clients.find(({ module }) => typeof module[\`\${operation}Command\`] === 'function');`,
    `    if (!owner) continue;`,
    `    const Command = owner.module[\`\${operation}Command\`] as Constructor;`,
    `    for (let call = 0; call < count; call++) {`,
    `      await Promise.resolve().then(() => owner.client.send(new Command({}))).catch(() => undefined);`,
    `      sent[operation] = (sent[operation] ?? 0) + 1;`,
    `    }`,
    `  }`,
    `  return { baselineSent: sent };`,
    `};`,
  ];
  return lines.join('\n');
}

/** Bundles the function's baseline with the function's own build options; returns the bundle's path. */
export async function buildFunctionBaseline(
  fn: FunctionDefinition,
  outDir: string,
  calls: Readonly<Record<string, number>>,
): Promise<string> {
  const options = esbuildOptions(fn, outDir);
  const composition = await build({ ...options, write: false, metafile: true });
  const source = baselineSource(composition.metafile as Metafile, calls);
  const baselineDir = join(outDir, `${fn.logicalId}Baseline`);
  await build({
    ...options,
    entryPoints: undefined,
    stdin: { contents: source, resolveDir: ROOT, sourcefile: 'baseline.ts', loader: 'ts' },
    outdir: baselineDir,
  });
  return join(baselineDir, `stdin${options.outExtension?.['.js'] ?? '.js'}`);
}
