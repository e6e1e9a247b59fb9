/** Waiting for something another process does, bounded: a poll with a deadline, never a bare sleep. */

/** Poll `probe` every 100 ms until it answers, at most `timeoutMs` (a bound, not a sleep); throws naming `what` past it. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
