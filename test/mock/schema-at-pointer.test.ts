import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { pointerTokens } from '../../src/mock/match-rule.js';
import { pointerFitsSchema } from '../../src/mock/schema-at-pointer.js';

const Item = Type.Object({ sku: Type.String(), qty: Type.Integer() }, { $id: 'Item' });
const Order = Type.Object({
  items: Type.Array(Type.Ref('Item')),
  customer: Type.Union([Type.Object({ email: Type.String() }), Type.Null()]),
  meta: Type.Record(Type.String(), Type.String()),
  extra: Type.Object({}, { additionalProperties: Type.Integer() }),
  free: Type.Unknown(),
});
const fits = (pointer: string) => pointerFitsSchema(Order, pointerTokens(pointer), [Item]);

describe('pointerFitsSchema', () => {
  it('accepts pointers through properties, array items, references, unions and maps', () => {
    for (const p of ['', '/items', '/items/0/sku', '/customer/email', '/meta/anything', '/extra/n', '/free/deep/down']) expect(fits(p), p).toBe(true);
  });

  it('refuses misspelt properties, non-index array tokens and paths below scalars', () => {
    for (const p of ['/itemz', '/items/first', '/items/0/skuu', '/items/0/qty/x', '/customer/mail']) expect(fits(p), p).toBe(false);
  });
});
