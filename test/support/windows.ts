/**
 * The limits count in fixed windows aligned to the epoch (`floor(now / windowSeconds)`), so a test whose counted
 * requests straddle a window's end sees the count start again and a limit seem not to hold. A test that counts in a
 * window calls this first: if less than `marginSeconds` of the current window is left, it waits for the next one.
 * The wait is rare (margin / window of the runs) and bounded by the margin.
 */
export async function clearOfWindowEdge(windowSeconds: number, marginSeconds = 30): Promise<void> {
  const left = windowSeconds - ((Date.now() / 1000) % windowSeconds);
  if (left < marginSeconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 50));
}
