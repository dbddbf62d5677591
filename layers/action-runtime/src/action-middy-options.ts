/**
 * middy races every handler against the Lambda timeout and, by default, *throws* a TimeoutError 5 ms
 * before it (@middy/core `timeoutEarlyResponse`). For an invoke action a throw means Lambda's async retry
 * runs the job again, so answer instead: the runtime's own timeout (5 s earlier) has normally reported
 * the failure already, and this only fires if that report itself hangs.
 */
export const actionMiddyOptions = {
  timeoutEarlyResponse: () => ({
    status: 'unreported' as const,
    reason: 'the Lambda timeout was reached while reporting the job result',
  }),
};
