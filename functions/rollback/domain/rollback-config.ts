import * as z from 'zod/mini';
import { describeIssues } from '#platform/errors';

/**
 * Which alarms guard which targets. One JSON document (ROLLBACK_CONFIG), target-centric: a platform team
 * reviews "what can roll back checkout-prod, and on which alarms" in one place (docs/rollback-on-alarm.md).
 */
const alarmPattern = z.string().check(z.minLength(1), z.maxLength(255));

const commonTargetFields = {
  /** Alarm names or globs (`*` any run of characters, `?` one character). */
  alarms: z.array(alarmPattern).check(z.minLength(1)),
  /** After a success, an alarm within this many minutes still rolls back. */
  bakeMinutes: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(1440)), 30),
  /** At most one rollback per target within this many minutes, whatever the number of alarms or flaps. */
  cooldownMinutes: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(10080)), 60),
  /** observe: decide, record and announce, call nothing. Deliberately the default. */
  mode: z._default(z.enum(['enforce', 'observe']), 'observe'),
  /**
   * The account and region (or globs) whose alarms guard the target and where it is acted on; absent: any. With
   * the same names in two accounts, name the account, so an alarm in one never rolls back the other.
   */
  account: z.optional(z.string().check(z.minLength(1), z.maxLength(12), z.regex(/^[0-9*?]+$/))),
  region: z.optional(z.string().check(z.minLength(1), z.maxLength(32), z.regex(/^[a-z0-9*?-]+$/))),
};

const nameField = z.string().check(z.minLength(1), z.maxLength(100));

export const codeDeployTargetSchema = z.object({
  kind: z.literal('codedeploy'),
  application: nameField,
  deploymentGroup: nameField,
  ...commonTargetFields,
});

export const pipelineTargetSchema = z.object({
  kind: z.literal('pipeline'),
  pipeline: nameField,
  stage: nameField,
  ...commonTargetFields,
});

export const rollbackConfigSchema = z.object({
  targets: z.array(z.discriminatedUnion('kind', [codeDeployTargetSchema, pipelineTargetSchema])),
});

export type RollbackConfig = z.infer<typeof rollbackConfigSchema>;
export type RollbackTarget = RollbackConfig['targets'][number];
export type CodeDeployTarget = z.infer<typeof codeDeployTargetSchema>;
export type PipelineTarget = z.infer<typeof pipelineTargetSchema>;

export class RollbackConfigError extends Error {
  override name = 'RollbackConfigError';
}

/** Parses the configuration document, or names each bad field. */
export function parseRollbackConfig(json: string): RollbackConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new RollbackConfigError(`ROLLBACK_CONFIG is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = rollbackConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new RollbackConfigError(`ROLLBACK_CONFIG is invalid: ${describeIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}

/**
 * A stable name for a target: the rollback items' partition key and the cooldown's owner. A target named with an
 * account or region carries them, so same-named targets of two accounts keep their own incidents and cooldowns.
 */
export function targetId(target: RollbackTarget): string {
  const name =
    target.kind === 'codedeploy'
      ? `codedeploy:${target.application}/${target.deploymentGroup}`
      : `pipeline:${target.pipeline}/${target.stage}`;
  const where = [target.account, target.region].filter((part) => part !== undefined);
  return where.length > 0 ? `${name}@${where.join('/')}` : name;
}

/** Where an alarm fired: the EventBridge envelope's account and region. */
export interface AlarmOrigin {
  account: string;
  region: string;
}

/** The targets an alarm guards (several targets may share an alarm): its name, account and region match. */
export function targetsForAlarm(
  config: RollbackConfig,
  alarmName: string,
  origin?: AlarmOrigin,
): RollbackTarget[] {
  return config.targets.filter(
    (target) =>
      target.alarms.some((pattern) => matchesGlob(pattern, alarmName)) &&
      (origin === undefined ||
        ((target.account === undefined || matchesGlob(target.account, origin.account)) &&
          (target.region === undefined || matchesGlob(target.region, origin.region)))),
  );
}

export function matchesGlob(pattern: string, name: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name);
}
