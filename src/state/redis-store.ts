import type { createClient } from '@redis/client';
import { toolkitError } from '../errors.js';
import { RedisControls } from './redis-controls.js';
import type { SharedControls } from './shared-controls.js';
import { defaultStateBounds, StateLimitError, StateUnavailableError, type StateBounds, type StateEntry, type StateStore } from './state-store.js';

// The shared store for replicas (Node only; the Fastify adapter and the CLI load it on demand).
// Per scope: a hash of entries, a sorted set keeping insertion order, and a meta hash (bytes, seq).
// Every write is one Lua script, so bounds and counters hold across any number of replicas.

const SET = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
local bytes = tonumber(redis.call('HGET', KEYS[3], 'bytes') or '0')
if not old and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end
local next = bytes - (old and (#ARGV[1] + #old) or 0) + #ARGV[1] + #ARGV[2]
if next > tonumber(ARGV[4]) then return -2 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], 'bytes', next)
if not old then redis.call('ZADD', KEYS[2], redis.call('HINCRBY', KEYS[3], 'seq', 1), ARGV[1]) end
redis.call('SADD', KEYS[4], ARGV[5])
return 1`;

const INCR = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return {-1} end
local value = (tonumber(old or '0') or 0) + tonumber(ARGV[2])
local text = tostring(value)
local bytes = tonumber(redis.call('HGET', KEYS[3], 'bytes') or '0')
local next = bytes - (old and (#ARGV[1] + #old) or 0) + #ARGV[1] + #text
if next > tonumber(ARGV[4]) then return {-2} end
redis.call('HSET', KEYS[1], ARGV[1], text)
redis.call('HSET', KEYS[3], 'bytes', next)
if not old then redis.call('ZADD', KEYS[2], redis.call('HINCRBY', KEYS[3], 'seq', 1), ARGV[1]) end
redis.call('SADD', KEYS[4], ARGV[5])
return {1, text}`;

const DELETE = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[3], 'bytes', -(#ARGV[1] + #old))
return 1`;

const LIST = `
local out = {}
for _, f in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if string.sub(f, 1, #ARGV[1]) == ARGV[1] then
    local v = redis.call('HGET', KEYS[1], f)
    if v then out[#out + 1] = f; out[#out + 1] = v end
  end
end
return out`;

/** The URL as shown in problems and logs: never a password. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

type Client = { sendCommand<T>(args: string[]): Promise<T>; destroy(): void };

/** How long one Redis command may take unless told otherwise: a stalled Redis becomes a 503 within it. */
export const defaultStateTimeoutMs = 1000;

/** How the Redis store connects: the per-command time-out (ms). */
export interface RedisStoreOptions {
  timeoutMs?: number;
}

/** A state store in Redis, shared by every mock process pointed at the same database. */
class RedisStore implements StateStore {
  readonly name: string;
  readonly shared: SharedControls;

  constructor(
    private readonly client: Client,
    url: string,
    readonly bounds: StateBounds,
    private readonly timeoutMs: number,
    private readonly prefix = 'iwkit:state:',
  ) {
    this.name = redactRedisUrl(url);
    this.shared = new RedisControls((args) => this.send(args));
  }

  private keys(scope: string): string[] {
    const base = `${this.prefix}${scope}`;
    return [`${base}:h`, `${base}:o`, `${base}:m`, `${this.prefix}scopes`];
  }

  /**
   * Runs one command within the time-out; an unreachable or stalled Redis becomes a StateUnavailableError
   * naming the store. The client's own timeout stops only at the socket write, so a SIGSTOP'd server would
   * hold the request forever: this timer bounds the whole round trip (a late reply is then dropped).
   */
  private send<T>(args: string[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new StateUnavailableError(this.name, `no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.client.sendCommand<T>(args).then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(new StateUnavailableError(this.name, error instanceof Error ? error.message : String(error)));
        },
      );
    });
  }

  private script<T>(script: string, keys: string[], args: (string | number)[]): Promise<T> {
    return this.send<T>(['EVAL', script, String(keys.length), ...keys, ...args.map(String)]);
  }

  async get(scope: string, key: string): Promise<string | undefined> {
    return (await this.send<string | null>(['HGET', this.keys(scope)[0], key])) ?? undefined;
  }

  async set(scope: string, key: string, value: string): Promise<void> {
    const outcome = await this.script<number>(SET, this.keys(scope), [key, value, this.bounds.maxItems, this.bounds.maxBytes, scope]);
    if (outcome === -1) throw new StateLimitError('maxItems', this.bounds.maxItems);
    if (outcome === -2) throw new StateLimitError('maxBytes', this.bounds.maxBytes);
  }

  async delete(scope: string, key: string): Promise<boolean> {
    return (await this.script<number>(DELETE, this.keys(scope), [key])) === 1;
  }

  async list(scope: string, prefix: string): Promise<StateEntry[]> {
    const flat = await this.script<string[]>(LIST, this.keys(scope), [prefix]);
    const out: StateEntry[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ key: flat[i], value: flat[i + 1] });
    return out;
  }

  async incr(scope: string, key: string, by = 1): Promise<number> {
    const [outcome, text] = await this.script<[number, string?]>(INCR, this.keys(scope), [key, by, this.bounds.maxItems, this.bounds.maxBytes, scope]);
    if (outcome === -1) throw new StateLimitError('maxItems', this.bounds.maxItems);
    if (outcome === -2) throw new StateLimitError('maxBytes', this.bounds.maxBytes);
    return Number(text);
  }

  async clear(scope?: string): Promise<void> {
    const scopes = scope === undefined ? await this.send<string[]>(['SMEMBERS', `${this.prefix}scopes`]) : [scope];
    const keys = scopes.flatMap((s) => this.keys(s).slice(0, 3));
    if (keys.length > 0) await this.send(['DEL', ...keys]);
    if (scope === undefined) await this.send(['DEL', `${this.prefix}scopes`]);
    else await this.send(['SREM', `${this.prefix}scopes`, scope]);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

/** How long the first connection may take before the mock refuses to start. */
const connectTimeoutMs = 3000;

/** Connects to Redis at `url`; an unreachable server at start is a toolkit error, later outages are 503 answers. */
export async function createRedisStore(url: string, bounds: Partial<StateBounds> = {}, options: RedisStoreOptions = {}): Promise<StateStore> {
  const name = redactRedisUrl(url);
  // Imported here, not at the top: the CLI bundle leaves the client out and loads it only for a redis:// store.
  const { createClient: connect } = await import('@redis/client');
  const client: ReturnType<typeof createClient> = connect({
    url,
    // Commands fail at once while Redis is away (a 503), instead of queueing and stalling every client.
    disableOfflineQueue: true,
    commandsQueueMaxLength: 10_000,
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
  });
  // Without a listener an error event would end the process; the outage shows in the answers instead.
  client.on('error', () => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs))),
    ]);
  } catch (error) {
    client.destroy();
    throw toolkitError('IWKIT_ERR_STATE_UNREACHABLE', name, error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
  return new RedisStore(client as unknown as Client, url, { ...defaultStateBounds, ...bounds }, options.timeoutMs ?? defaultStateTimeoutMs);
}
