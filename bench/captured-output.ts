/**
 * Runs `work` with stdout and stderr swallowed and counted: what a function logs, without flooding the
 * terminal. The bytes are also counted by line kind: a Powertools line's level and `message`, `EMF` for a
 * metrics document, `other` for anything else, so a reader sees which lines an event's log bytes are.
 */
export async function capturedOutput(
  work: () => Promise<void>,
): Promise<{ bytes: number; bytesByKind: Record<string, number> }> {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  const bytesByKind: Record<string, number> = {};
  let bytes = 0;
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      bytes += Buffer.byteLength(text);
      for (const line of text.split('\n').filter(Boolean)) {
        const kind = lineKind(line);
        bytesByKind[kind] = (bytesByKind[kind] ?? 0) + Buffer.byteLength(line) + 1;
      }
      const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
  try {
    await work();
  } finally {
    streams.forEach((stream, index) => {
      stream.write = originals[index] as typeof stream.write;
    });
  }
  return { bytes, bytesByKind };
}

function lineKind(line: string): string {
  try {
    const parsed = JSON.parse(line) as { _aws?: unknown; level?: string; message?: string };
    if (parsed._aws) return 'EMF';
    return `${parsed.level ?? ''} ${parsed.message ?? 'other'}`.trim();
  } catch {
    return 'other';
  }
}
