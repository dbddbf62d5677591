/**
 * `npm run rehearse`: what can be checked of a deploy without an AWS account. The SAM transform by the
 * samtranslator cfn-lint ships must succeed; where moto is installed, the translated stack is created in moto's
 * CloudFormation, listing the resource types moto does not model. A NOTICE says what was not checked.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { samPython } from './sam-transform';
import { TEMPLATE_PATH } from './template';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function motoServer(python: string): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const beside = python.replace(/python3?$/, 'moto_server');
  return beside !== python && spawnSync(beside, ['--help']).status === 0 ? beside : undefined;
}

function main(): void {
  const python = samPython();
  if (!python) {
    console.info(
      'NOTICE: cfn-lint (with samtranslator) is not installed here; the deploy rehearsal was NOT run.',
    );
    return;
  }
  const started = Date.now();
  const script = fileURLToPath(new URL('./deploy-rehearsal.py', import.meta.url));
  const run = spawnSync(
    python,
    [script, TEMPLATE_PATH, join(ROOT, '.aws-sam', 'rehearsal'), motoServer(python) ?? ''],
    {
      stdio: 'inherit',
    },
  );
  console.info(`deploy rehearsal: ${run.status === 0 ? 'passed' : 'FAILED'} in ${Date.now() - started} ms`);
  process.exit(run.status ?? 1);
}

main();
