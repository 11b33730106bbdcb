import { describe, expect, it } from 'vitest';
import { StateLimitError, type StateStore } from '../../src/state/state-store.js';

/** The behaviour every state store shares; each implementation's test file runs it. */
export function describeStateStore(name: string, make: (bounds?: { maxItems?: number; maxBytes?: number }) => Promise<StateStore>): void {
  describe(`state store contract: ${name}`, () => {
    it('gets what was set, and nothing for a key never set', async () => {
      const store = await make();
      try {
        await store.set('a', 'k1', '{"x":1}');
        expect(await store.get('a', 'k1')).toBe('{"x":1}');
        expect(await store.get('a', 'missing')).toBeUndefined();
      } finally {
        await store.close();
      }
    });

    it('keeps scopes apart, and clears one scope or all', async () => {
      const store = await make();
      try {
        await store.set('a', 'k', '1');
        await store.set('b', 'k', '2');
        expect(await store.get('b', 'k')).toBe('2');
        await store.clear('a');
        expect(await store.get('a', 'k')).toBeUndefined();
        expect(await store.get('b', 'k')).toBe('2');
        await store.clear();
        expect(await store.get('b', 'k')).toBeUndefined();
      } finally {
        await store.close();
      }
    });

    it('lists by prefix in insertion order, an overwrite keeping its place', async () => {
      const store = await make();
      try {
        for (const id of ['10', '9', '11']) await store.set('s', `r:/things/${id}`, id);
        await store.set('s', 'other', 'x');
        await store.set('s', 'r:/things/9', 'nine');
        expect(await store.list('s', 'r:/things/')).toEqual([
          { key: 'r:/things/10', value: '10' },
          { key: 'r:/things/9', value: 'nine' },
          { key: 'r:/things/11', value: '11' },
        ]);
      } finally {
        await store.close();
      }
    });

    it('deletes, telling whether the key existed, and a deleted key can be set again', async () => {
      const store = await make();
      try {
        await store.set('s', 'k', 'v');
        expect(await store.delete('s', 'k')).toBe(true);
        expect(await store.delete('s', 'k')).toBe(false);
        expect(await store.list('s', '')).toEqual([]);
        await store.set('s', 'k', 'w');
        expect(await store.get('s', 'k')).toBe('w');
      } finally {
        await store.close();
      }
    });

    it('counts atomically: concurrent increments all land', async () => {
      const store = await make();
      try {
        const values = await Promise.all(Array.from({ length: 20 }, () => store.incr('s', 'n')));
        expect(new Set(values).size).toBe(20);
        expect(await store.incr('s', 'n', 5)).toBe(25);
      } finally {
        await store.close();
      }
    });

    it('refuses a new key past maxItems and a write past maxBytes, storing nothing', async () => {
      const store = await make({ maxItems: 2, maxBytes: 40 });
      try {
        await store.set('s', 'a', '1');
        await store.set('s', 'b', '2');
        await expect(store.set('s', 'c', '3')).rejects.toBeInstanceOf(StateLimitError);
        await expect(store.incr('s', 'n')).rejects.toBeInstanceOf(StateLimitError);
        expect(await store.get('s', 'c')).toBeUndefined();
        await store.set('s', 'a', 'overwriting is fine');
        await expect(store.set('s', 'b', 'x'.repeat(40))).rejects.toMatchObject({ limit: 'maxBytes' });
        expect(await store.get('s', 'b')).toBe('2');
        // Another client has its own allowance.
        await store.set('t', 'c', '3');
        // Deleting gives room back.
        await store.delete('s', 'a');
        await store.set('s', 'c', '3');
      } finally {
        await store.close();
      }
    });
  });
}
