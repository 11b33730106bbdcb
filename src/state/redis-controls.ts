import type { SharedControls, SharedJournalFilter, SharedOverrideRecord, SharedOverrideScope } from './shared-controls.js';

// Overrides and journal in Redis, for replicas. Overrides: a hash of records, a sorted set for their
// order, a hash of uses spent and a meta hash (bytes, seq, version). Journal: one list, newest at the
// head, trimmed by count and bytes in the same script that appends. Every write is one Lua script.

const DROP = `
local function drop(id)
  local rec = redis.call('HGET', KEYS[1], id)
  if not rec then return false end
  redis.call('HDEL', KEYS[1], id)
  redis.call('HDEL', KEYS[4], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('HINCRBY', KEYS[3], 'bytes', -tonumber(cjson.decode(rec).bytes))
  return true
end
local function inScope(rec, mode, client)
  if mode == 'all' then return true end
  local c = cjson.decode(rec).client
  if mode == 'none' then return c == nil end
  return c == client
end`;

const ADD = `
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return -1 end
local size = tonumber(ARGV[3])
local max = tonumber(ARGV[5])
if size > max then return -2 end
if tonumber(redis.call('HGET', KEYS[3], 'bytes') or '0') + size > max then return -3 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[4], ARGV[1], 0)
redis.call('ZADD', KEYS[2], redis.call('HINCRBY', KEYS[3], 'seq', 1), ARGV[1])
redis.call('HINCRBY', KEYS[3], 'bytes', size)
redis.call('HINCRBY', KEYS[3], 'version', 1)
redis.call('HSETNX', KEYS[3], 'epoch', ARGV[6])
return 1`;

// The guard and the decrement are one step: a times:1 override fires once however many replicas ask.
const TAKE = `${DROP}
local rec = redis.call('HGET', KEYS[1], ARGV[1])
if not rec then return 0 end
local times = cjson.decode(rec).times
local used = redis.call('HINCRBY', KEYS[4], ARGV[1], 1)
if times ~= nil and used >= tonumber(times) then
  drop(ARGV[1])
  redis.call('HINCRBY', KEYS[3], 'version', 1)
end
return 1`;

const REMOVE = `${DROP}
local rec = redis.call('HGET', KEYS[1], ARGV[1])
if not rec or not inScope(rec, ARGV[2], ARGV[3]) then return 0 end
drop(ARGV[1])
redis.call('HINCRBY', KEYS[3], 'version', 1)
return 1`;

const CLEAR = `${DROP}
local flat = redis.call('HGETALL', KEYS[1])
local removed = 0
for i = 1, #flat, 2 do
  if inScope(flat[i + 1], ARGV[1], ARGV[2]) then drop(flat[i]); removed = removed + 1 end
end
if removed > 0 then redis.call('HINCRBY', KEYS[3], 'version', 1) end
return removed`;

const LIST = `
local meta = redis.call('HMGET', KEYS[3], 'epoch', 'version')
local out = { (meta[1] or '') .. ':' .. (meta[2] or '0') }
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[2], 0, -1)) do
  local rec = redis.call('HGET', KEYS[1], id)
  if rec then out[#out + 1] = rec; out[#out + 1] = redis.call('HGET', KEYS[4], id) or '0' end
end
return out`;

const APPEND = `
local id = redis.call('HINCRBY', KEYS[2], 'seq', 1)
local text = '{"id":' .. id .. ',' .. string.sub(ARGV[1], 2)
redis.call('LPUSH', KEYS[1], text)
local bytes = redis.call('HINCRBY', KEYS[2], 'bytes', #text)
local cap = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local n = redis.call('LLEN', KEYS[1])
while n > cap or (bytes > max and n > 1) do
  local old = redis.call('RPOP', KEYS[1])
  bytes = redis.call('HINCRBY', KEYS[2], 'bytes', -#old)
  n = n - 1
end
return n`;

const CLEAR_JOURNAL = `
local items = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
local bytes, removed = 0, 0
for _, item in ipairs(items) do
  local e = cjson.decode(item)
  local client = e.client
  if client == cjson.null then client = nil end
  local hit = (ARGV[3] == '' or e.operationId == ARGV[3]) and (ARGV[1] == 'all' or (ARGV[1] == 'none' and client == nil) or (ARGV[1] == 'client' and client == ARGV[2]))
  if hit then removed = removed + 1 else redis.call('RPUSH', KEYS[1], item); bytes = bytes + #item end
end
redis.call('HSET', KEYS[2], 'bytes', bytes)
return removed`;

/** Sends one command with the store's timeout; failures come back as StateUnavailableError. */
export type RedisSend = <T>(args: string[]) => Promise<T>;

function scopeArgs(scope: SharedOverrideScope | SharedJournalFilter['client']): [string, string] {
  if (scope === 'all' || scope === undefined) return ['all', ''];
  if (scope === null) return ['none', ''];
  if (typeof scope === 'string') return ['client', scope];
  return scope.client === undefined ? ['none', ''] : ['client', scope.client];
}

/** The shared overrides and journal of the replicas using one Redis database. */
export class RedisControls implements SharedControls {
  private readonly overrideKeys: string[];
  private readonly journalKeys: string[];

  constructor(
    private readonly send: RedisSend,
    private readonly prefix = 'iwkit:controls:',
  ) {
    this.overrideKeys = ['ov:src', 'ov:order', 'ov:meta', 'ov:used'].map((k) => prefix + k);
    this.journalKeys = ['journal', 'journal:meta'].map((k) => prefix + k);
  }

  private script<T>(script: string, keys: string[], args: (string | number)[]): Promise<T> {
    return this.send<T>(['EVAL', script, String(keys.length), ...keys, ...args.map(String)]);
  }

  // The epoch is new whenever the meta hash is (a flushed or restarted Redis), so a count that starts
  // again from 0 is never mistaken for one a replica has already seen.
  async overridesVersion(): Promise<string> {
    const [epoch, version] = await this.send<(string | null)[]>(['HMGET', this.overrideKeys[2], 'epoch', 'version']);
    return `${epoch ?? ''}:${version ?? '0'}`;
  }

  async listOverrides(): Promise<{ version: string; records: SharedOverrideRecord[] }> {
    const [version, ...flat] = await this.script<string[]>(LIST, this.overrideKeys, []);
    const records: SharedOverrideRecord[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) records.push({ ...(JSON.parse(flat[i]) as Omit<SharedOverrideRecord, 'used'>), used: Number(flat[i + 1]) });
    return { version, records };
  }

  async nextOverrideId(): Promise<string> {
    return `o${await this.send<number>(['INCR', `${this.prefix}ov:ids`])}`;
  }

  async addOverride(record: SharedOverrideRecord, bounds: { maxOverrides: number; maxOverrideBytes: number }): Promise<'ok' | 'maxOverrides' | 'maxOverrideBytes'> {
    const { used: _used, ...stored } = record;
    const outcome = await this.script<number>(ADD, this.overrideKeys, [record.id, JSON.stringify(stored), record.bytes, bounds.maxOverrides, bounds.maxOverrideBytes, `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`]);
    return outcome === 1 ? 'ok' : outcome === -1 ? 'maxOverrides' : 'maxOverrideBytes';
  }

  async takeOverride(id: string): Promise<boolean> {
    return (await this.script<number>(TAKE, this.overrideKeys, [id])) === 1;
  }

  async removeOverride(id: string, scope: SharedOverrideScope): Promise<boolean> {
    return (await this.script<number>(REMOVE, this.overrideKeys, [id, ...scopeArgs(scope)])) === 1;
  }

  async clearOverrides(scope: SharedOverrideScope): Promise<number> {
    return this.script<number>(CLEAR, this.overrideKeys, scopeArgs(scope));
  }

  async appendJournal(text: string, capacity: number, maxBytes: number): Promise<void> {
    await this.script<number>(APPEND, this.journalKeys, [text, capacity, maxBytes]);
  }

  async readJournal(): Promise<string[]> {
    return (await this.send<string[]>(['LRANGE', this.journalKeys[0], '0', '-1'])).reverse();
  }

  async clearJournal(filter: SharedJournalFilter): Promise<number> {
    return this.script<number>(CLEAR_JOURNAL, this.journalKeys, [...scopeArgs(filter.client), filter.operationId ?? '']);
  }

}
