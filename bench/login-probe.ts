import { loginHeaders, loginPath } from './login-request.js';

// Run as its own process by bench/attack.ts: an attacker writing hundreds of MiB from the same event
// loop would delay the probe's own clock and blame the mock for it.

/** What the probe saw: logins sent, the slowest one, and every answer that was not a 200. */
export interface ProbeResult {
  count: number;
  worstMs: number;
  failures: string[];
}

async function probe(base: string, isRunning: () => boolean): Promise<ProbeResult> {
  const result: ProbeResult = { count: 0, worstMs: 0, failures: [] };
  while (isRunning()) {
    const started = performance.now();
    try {
      const res = await fetch(`${base}${loginPath}`, { method: 'POST', headers: loginHeaders(), body: JSON.stringify({ data: { code: `probe-${result.count}` } }), signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.status !== 200) result.failures.push(String(res.status));
    } catch (error) {
      result.failures.push(error instanceof Error ? error.message : String(error));
    }
    result.count += 1;
    result.worstMs = Math.max(result.worstMs, performance.now() - started);
    await new Promise((r) => setTimeout(r, 250));
  }
  return result;
}

if (process.send) {
  let running = true;
  process.once('message', () => (running = false));
  const result = await probe(process.argv[2], () => running);
  process.send(result, () => process.disconnect());
}
