import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createMockServer } from '../src/server/create-mock-server.js';

// The mock (createMockServer, as the CLI runs it) in a process of its own that also watches its event
// loop, and can profile just a load phase (not its start), on request over IPC.

/** What the harness asks the mock process for. */
export type SoakRequest =
  | { type: 'stats'; resetDelay: boolean; gc: boolean }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; file: string };

/** What the mock process answers. */
export interface SoakStats {
  rssBytes: number;
  heapUsedBytes: number;
  /** Event-loop delay since the last reset, in ms. */
  delay: { mean: number; p50: number; p99: number; max: number };
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;
const app = await createMockServer({ seed: Number(process.env.IWKIT_SOAK_SEED ?? 3) });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

const session = new Session();
session.connect();
const post = (method: string, params?: object): Promise<unknown> =>
  new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

process.on('message', (message: SoakRequest) => {
  if (message.type === 'profile-start') {
    void post('Profiler.enable')
      .then(() => post('Profiler.start'))
      .then(() => process.send?.({ ok: true }));
    return;
  }
  if (message.type === 'profile-stop') {
    void post('Profiler.stop').then((result) => {
      writeFileSync(message.file, JSON.stringify((result as { profile: unknown }).profile));
      process.send?.({ ok: true });
    });
    return;
  }
  if (message.gc && collectGarbage) collectGarbage();
  const ms = (ns: number): number => Math.round((ns / 1e6) * 100) / 100;
  const memory = process.memoryUsage();
  const stats: SoakStats = {
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    delay: { mean: ms(delay.mean), p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
  };
  if (message.resetDelay) delay.reset();
  process.send?.(stats);
});
process.once('SIGTERM', () => {
  delay.disable();
  void app.close().then(() => process.disconnect?.());
});
process.stdout.write(`instrumented mock listening on ${address}\n`);
