import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/state/redis-store.js';
import { StateUnavailableError } from '../../src/state/state-store.js';
import { describeStateStore } from './state-store-suite.js';
import { startRedis, type RedisServer } from './start-redis.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

// Each store clears the database first: the shared suite assumes an empty store, as a fresh memory store is.
describeStateStore('redis', async (bounds) => {
  const store = await createRedisStore(redis.url, bounds);
  await store.clear();
  return store;
});

describe('the Redis store', () => {
  it('fails at start with a coded error naming the store when Redis does not answer, never its password', async () => {
    await expect(createRedisStore('redis://:s3cret@127.0.0.1:1/0')).rejects.toMatchObject({ code: 'IWKIT_ERR_STATE_UNREACHABLE', message: expect.not.stringContaining('s3cret') });
  });

  it('refuses at once while Redis is down, naming the store, and works again when Redis returns', async () => {
    const store = await createRedisStore(redis.url);
    try {
      await store.set('s', 'k', 'v');
      await redis.stop();
      const error = await store.get('s', 'k').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateUnavailableError);
      expect((error as StateUnavailableError).store).toBe(redis.url);
      await redis.start();
      // Reconnecting takes a moment: poll until the store answers (no time assertion).
      let value: string | undefined;
      for (let i = 0; i < 200 && value === undefined; i++) {
        value = await store.get('s', 'k').then(() => 'answered', () => undefined);
        if (value === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(value).toBe('answered');
      await store.set('s', 'k2', 'v2');
      expect(await store.get('s', 'k2')).toBe('v2');
    } finally {
      await store.close();
    }
  });
});
