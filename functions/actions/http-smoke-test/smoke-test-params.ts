import * as z from 'zod/mini';

const check = z.object({
  url: z.url({ protocol: /^https?$/ }),
  method: z._default(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']), 'GET'),
  expectedStatus: z._default(z.number().check(z.int(), z.gte(100), z.lte(599)), 200),
  /** Compiled on RE2 before the first request (body-pattern.ts): RE2 is loaded only when a check has one. */
  bodyPattern: z.optional(z.string()),
  body: z.optional(z.string()),
  timeoutMs: z._default(z.number().check(z.int(), z.gte(100), z.lte(60_000)), 5_000),
});

/** UserParameters of the http-smoke-test action (docs/invoke-actions.md). */
export const smokeTestParams = z.object({
  checks: z.array(check).check(z.minLength(1), z.maxLength(20)),
  /** Secrets Manager secret (JSON object of header name → value) sent with every request. */
  headersSecretId: z.optional(z.string().check(z.minLength(1))),
  maxAttempts: z._default(z.number().check(z.int(), z.gte(1), z.lte(20)), 5),
  initialBackoffMs: z._default(z.number().check(z.int(), z.gte(0), z.lte(60_000)), 1_000),
  maxBackoffMs: z._default(z.number().check(z.int(), z.gte(0), z.lte(300_000)), 30_000),
  /** Total time across invocations before the action gives up (CodePipeline allows 24 h). */
  // Under CodePipeline's 24-hour limit on an invoke action, with an hour's margin (see alarm-bake-params).
  budgetSeconds: z._default(z.number().check(z.int(), z.gte(1), z.lte(82_800)), 600),
});

export type SmokeTestParams = z.infer<typeof smokeTestParams>;
export type SmokeCheck = SmokeTestParams['checks'][number];

/** What survives between invocations (inside the 2048-character continuation token). */
export const smokeTestState = z.object({
  startedAt: z.number(),
  next: z.number().check(z.int(), z.gte(0)),
  attempt: z.number().check(z.int(), z.gte(0)),
  slowestMs: z.number(),
  lastProblem: z.optional(z.string().check(z.maxLength(300))),
});

export type SmokeTestState = z.infer<typeof smokeTestState>;
