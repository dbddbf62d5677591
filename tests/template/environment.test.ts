import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuiltFunction, buildFunctions } from '../../tooling/build';
import { samTransform } from '../../tooling/sam-transform';
import { deployStack } from './support/deployed-stack';
import { ALLOWED_COMBINATIONS, REFUSED_COMBINATIONS } from './support/parameter-combinations';

/**
 * Every handler validates its environment at cold start. Each bundle is imported in a fresh Node process with
 * exactly the environment the transformed template gives its function, in every parameter set the template
 * accepts; the sets that cannot work must be refused by a Rules assertion before anything is deployed.
 */
const { template: transformed, notice } = samTransform();
if (notice) console.warn(`NOTICE: environment test skipped: ${notice}`);

/** Lambda's limit on the environment variables of a function, names and values together. */
const LAMBDA_ENVIRONMENT_BYTES = 4096;

describe.skipIf(!transformed)('cold-start environment', () => {
  let built: BuiltFunction[];
  beforeAll(async () => {
    built = await buildFunctions({ outDir: mkdtempSync(join(tmpdir(), 'pcp-env-')) });
  }, 120_000);

  it.each(Object.entries(ALLOWED_COMBINATIONS))(
    '%s: accepted, and every handler starts',
    (_name, parameters) => {
      const stack = deployStack(transformed as NonNullable<typeof transformed>, {
        stackName: 'pipeline-control-plane-prod',
        parameters,
      });
      expect(stack.failedAssertions).toEqual([]);
      const failures: string[] = [];
      for (const fn of stack.resources.filter((resource) => resource.Type === 'AWS::Lambda::Function')) {
        const bundle = built.find((candidate) => candidate.logicalId === fn.logicalId);
        if (!bundle) throw new Error(`${fn.logicalId} was not built`);
        const variables =
          (fn.Properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {};
        const bytes = Object.entries(variables).reduce(
          (sum, [key, value]) => sum + key.length + String(value).length,
          0,
        );
        if (bytes > LAMBDA_ENVIRONMENT_BYTES) failures.push(`${fn.logicalId}: environment of ${bytes} bytes`);
        const child = spawnSync(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const m = await import(${JSON.stringify(pathToFileURL(bundle.bundle).href)}); process.stdout.write(typeof m.handler);`,
          ],
          {
            // What Lambda sets, then the function's own variables; nothing from this machine's environment.
            env: {
              PATH: process.env.PATH,
              AWS_REGION: 'us-east-1',
              AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
              ...variables,
              NODE_OPTIONS: '',
            },
            encoding: 'utf8',
          },
        );
        if (child.stdout !== 'function') {
          const error =
            child.stderr.split('\n').find((line) => /Error/.test(line)) ?? child.stderr.slice(0, 300);
          failures.push(`${fn.logicalId}: ${error}`);
        }
      }
      expect(failures).toEqual([]);
    },
    // One Node process per function, one after another: on a loaded machine that outlasts the default timeout.
    120_000,
  );

  it.each(Object.entries(REFUSED_COMBINATIONS))('%s: refused by a Rules assertion', (_name, parameters) => {
    const stack = deployStack(transformed as NonNullable<typeof transformed>, {
      stackName: 'pipeline-control-plane-prod',
      parameters,
    });
    expect(stack.failedAssertions.length).toBeGreaterThan(0);
  });
});
