/** Spaces request starts so no more than `perSecond` begin in any second; `Infinity` disables it. */
export function createRateLimiter(perSecond: number): () => Promise<void> {
  const interval = Number.isFinite(perSecond) && perSecond > 0 ? 1000 / perSecond : 0;
  let next = 0;
  return async () => {
    if (interval === 0) return;
    const now = Date.now();
    const slot = Math.max(now, next);
    next = slot + interval;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  };
}
