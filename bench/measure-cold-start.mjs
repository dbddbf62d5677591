// Run in a fresh Node process per sample: import one bundle, serve one event, report times since the
// process started (performance.now() counts from process start, so Node's own bootstrap is included).
// A function's baseline also says which AWS calls it replayed.
const [bundle, eventJson] = process.argv.slice(2);
const imported = await import(bundle);
const afterImport = performance.now();
const context = {
  functionName: 'bench',
  awsRequestId: 'bench',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
  getRemainingTimeInMillis: () => 30_000,
};
const result = await imported.handler(JSON.parse(eventJson), context);
const afterInvoke = performance.now();
process.stderr.write(
  `BENCH ${JSON.stringify({ importMs: afterImport, invokeMs: afterInvoke - afterImport, totalMs: afterInvoke, rssMb: process.memoryUsage().rss / 2 ** 20, baselineSent: result?.baselineSent })}\n`,
);
