import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEMPLATE_PATH } from './template';

const TRANSLATE_SCRIPT = fileURLToPath(new URL('./sam-translate.py', import.meta.url));

/** A CloudFormation template after the SAM transform: plain resources, intrinsics in long form. */
export interface TransformedTemplate {
  Parameters?: Record<string, { Default?: unknown; Type?: string }>;
  Conditions?: Record<string, unknown>;
  Rules?: Record<
    string,
    { RuleCondition?: unknown; Assertions: { Assert: unknown; AssertDescription?: string }[] }
  >;
  Resources: Record<string, { Type: string; Condition?: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, unknown>;
}

/**
 * The Python that cfn-lint runs on: samtranslator ships with it, so the transform is the one cfn-lint lints
 * and CloudFormation applies (same library). Undefined where cfn-lint is not installed.
 */
export function samPython(): string | undefined {
  for (const candidate of ['python3', 'python']) {
    const probe = spawnSync(candidate, ['-c', 'import samtranslator, cfnlint'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  const cfnLint = spawnSync('pyenv', ['which', 'cfn-lint'], { encoding: 'utf8' });
  if (cfnLint.status === 0) {
    const python = cfnLint.stdout.trim().replace(/cfn-lint$/, 'python');
    if (spawnSync(python, ['-c', 'import samtranslator'], { encoding: 'utf8' }).status === 0) return python;
  }
  return undefined;
}

/** template.yaml through the SAM transform, or undefined (with the reason) where samtranslator is absent. */
export function samTransform(
  templatePath = TEMPLATE_PATH,
  region = 'us-east-1',
): { template?: TransformedTemplate; notice?: string } {
  const python = samPython();
  if (!python) return { notice: 'samtranslator (shipped with cfn-lint) is not installed here' };
  const run = spawnSync(python, [TRANSLATE_SCRIPT, templatePath, region], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`SAM transform failed:\n${run.stderr || run.stdout}`);
  return { template: JSON.parse(run.stdout) as TransformedTemplate };
}
