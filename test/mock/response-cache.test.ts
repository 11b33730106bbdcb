import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../../src/mock/response-cache.js';

describe('ResponseCache', () => {
  it('keeps a body only once its key has been offered a second time', () => {
    const cache = new ResponseCache(10);
    cache.set('op|200|a', 'first');
    expect(cache.get('op|200|a')).toBeUndefined();
    cache.set('op|200|a', 'second');
    expect(cache.get('op|200|a')).toBe('second');
  });

  it('drops the oldest body past its capacity', () => {
    const cache = new ResponseCache(2);
    for (const key of ['a', 'b', 'c']) {
      cache.set(key, key);
      cache.set(key, key);
    }
    expect(cache.get('a')).toBeUndefined();
    expect([cache.get('b'), cache.get('c')]).toEqual(['b', 'c']);
  });

  it('holds no body for keys seen once, however many there are', () => {
    const cache = new ResponseCache(4);
    for (let i = 0; i < 1000; i++) cache.set(`fresh-${i}`, 'x'.repeat(100));
    for (let i = 0; i < 1000; i++) expect(cache.get(`fresh-${i}`)).toBeUndefined();
  });
});
