import * as z from 'zod/mini';
import { parseIsoDateTime } from '#events/aws-timestamp';

/** A `from`/`to` query parameter: a strict ISO-8601 date-time ("12" or "March 7" are not read as 2001). */
export const queryTime = z.string().check(
  z.refine((value) => parseIsoDateTime(value) !== undefined, {
    error: 'expected an ISO-8601 date-time such as 2026-11-20T10:00:00Z',
  }),
);

/** Epoch milliseconds of a `queryTime` already checked. */
export const queryTimeMillis = (value: string): number => parseIsoDateTime(value) as number;
