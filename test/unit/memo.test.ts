// The memos of language/memo.ts: what each remembers, for which key, and what it leaves visible.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { HeldOn, strongMemo, weakMemo } from '../../server/src/language/memo';

test('HeldOn keeps one value per object and per HeldOn, and none for an object it was not given', () => {
  const [a, b] = [new HeldOn<object, string>(), new HeldOn<object, string>()];
  const [one, two] = [{ n: 1 }, { n: 2 }];
  a.set(one, 'a1').set(two, 'a2');
  b.set(one, 'b1');
  assert.equal(a.get(one), 'a1');
  assert.equal(a.get(two), 'a2');
  assert.equal(b.get(one), 'b1');
  assert.equal(b.has(two), false);
  assert.equal(b.get(two), undefined);
  assert.equal(a.has({ n: 1 }), false);
});

test('HeldOn leaves the object as it compares, copies and serialises', () => {
  const key = { line: 'RUN true', flags: [] as string[] };
  const before = structuredClone(key);
  new HeldOn<object, number>().set(key, 7);
  assert.deepStrictEqual(key, before);
  assert.deepStrictEqual({ ...key }, before);
  assert.equal(JSON.stringify(key), JSON.stringify(before));
  assert.deepEqual(Object.keys(key), ['line', 'flags']);
});

test('HeldOn takes frozen and sealed objects too', () => {
  const held = new HeldOn<object, string>();
  const [frozen, sealed] = [Object.freeze({ f: 1 }), Object.seal({ s: 1 })];
  held.set(frozen, 'frozen').set(sealed, 'sealed');
  assert.equal(held.get(frozen), 'frozen');
  assert.equal(held.get(sealed), 'sealed');
  assert.equal(held.has(Object.freeze({ f: 1 })), false);
});

test('weakMemo and strongMemo compute once per key, undefined included', () => {
  for (const memo of [weakMemo, strongMemo]) {
    let calls = 0;
    const remembered = memo((key: { name?: string }) => {
      calls++;
      return key.name;
    });
    const [named, unnamed] = [{ name: 'x' }, {}];
    assert.equal(remembered(named), 'x');
    assert.equal(remembered(named), 'x');
    assert.equal(remembered(unnamed), undefined);
    assert.equal(remembered(unnamed), undefined);
    assert.equal(calls, 2);
  }
});
