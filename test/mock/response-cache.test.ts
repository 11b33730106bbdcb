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

  it('drops the oldest values past its byte bound and never keeps one larger than the bound', () => {
    const cache = new ResponseCache<{ text: string }>(100, 30, (value) => value.text.length);
    const offer = (key: string, text: string): void => {
      cache.set(key, { text });
      cache.set(key, { text });
    };
    offer('a', 'x'.repeat(10));
    offer('b', 'y'.repeat(10));
    expect(cache.size).toBe(2);
    offer('c', 'z'.repeat(10));
    expect([cache.get('a'), cache.get('b')?.text, cache.get('c')?.text]).toEqual([undefined, 'y'.repeat(10), 'z'.repeat(10)]);
    offer('d', 'w'.repeat(40));
    expect(cache.get('d')).toBeUndefined();
  });

  it('forgets every value and every sighting on clear()', () => {
    const cache = new ResponseCache(10);
    cache.set('k', 'v');
    cache.set('k', 'v');
    cache.set('j', 'v');
    cache.clear();
    expect([cache.size, cache.get('k')]).toEqual([0, undefined]);
    cache.set('j', 'v');
    expect(cache.get('j')).toBeUndefined();
  });

  it('holds no body for keys seen once, however many there are', () => {
    const cache = new ResponseCache(4);
    for (let i = 0; i < 1000; i++) cache.set(`fresh-${i}`, 'x'.repeat(100));
    for (let i = 0; i < 1000; i++) expect(cache.get(`fresh-${i}`)).toBeUndefined();
  });
});
