import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rewinder } from '../../src/SynthNotebook/Player/rewinder.js';

const RATE = 48000;
const BLOCK = 256;
const make = (reachBlocks = 94) => new Rewinder({ blockSize: BLOCK, sampleRate: RATE, callbackMs: 10.7, reachBlocks });
const receive = (rewinder, from, to, version, now = 0) => { for (let s = from; s < to; s++) rewinder.arrived(s, version, now); };
// 10.7 ms callback + 4 ms lead = 705.6 samples ahead of the playing position.
const lead = (10.7 + 4) / 1000 * RATE;

test('it rewinds from the first block wholly past the next callback and the way there and back', () => {
  const rewinder = make();
  receive(rewinder, 0, 40, 1);
  assert.deepEqual(rewinder.changed(2, 1000, 0), { op: 'rewind', from: Math.ceil((1000 + lead) / BLOCK) });
  assert.equal(rewinder.rewinds, 1);
});

test('no farther back than the server keeps, and nothing when no block is queued past the safe point', () => {
  const rewinder = make(10);
  receive(rewinder, 0, 40, 1);
  assert.equal(rewinder.changed(2, 0, 0).from, 30);
  const thin = make();
  receive(thin, 0, 5, 1);
  assert.equal(thin.changed(2, 5 * BLOCK - 100, 0), null, 'the blocks to come are rendered with the change anyway');
});

test('a rewind whose blocks never come holds others back for a second at most', () => {
  const rewinder = make();
  receive(rewinder, 0, 40, 1);
  assert.ok(rewinder.changed(2, 0, 0));
  assert.equal(rewinder.changed(3, 0, 500), null);
  assert.ok(rewinder.pending);
  assert.ok(rewinder.changed(3, 0, 1001));
});

test('the rewind\'s last block ends it; blocks numbered past the newest are the stream going on', () => {
  const rewinder = make();
  receive(rewinder, 0, 40, 1);
  const { from } = rewinder.changed(2, 0, 0);
  assert.equal(rewinder.arrived(from, 2, 5), true);
  assert.ok(rewinder.waiting);
  for (let s = from + 1; s < 40; s++) assert.equal(rewinder.arrived(s, 2, 5), true);
  assert.equal(rewinder.waiting, false);
  assert.equal(rewinder.arrived(40, 2, 6), false);
  assert.equal(rewinder.changed(2, 0, 10), null, 'every block from the safe point carries version 2 now');
});

test('the way there and back is allowed what recent rewinds took: their third quartile, 4 to 30 ms', () => {
  const rewinder = make();
  receive(rewinder, 0, 200, 1);
  assert.equal(rewinder.leadMs, 10.7 + 4, 'before any: the least');
  let now = 0;
  let version = 2;
  for (const trip of [2, 3, 2, 12, 3, 2, 12, 3, 12, 2, 50]) {
    const { from } = rewinder.changed(version, 0, now);
    receive(rewinder, from, 200, version++, now + trip);
    now += 1000;
  }
  assert.equal(rewinder.leadMs, 10.7 + 12, 'the slow quarter sets it, the slowest does not');
  for (let i = 0; i < 40; i++) {
    const { from } = rewinder.changed(version, 0, now);
    receive(rewinder, from, 200, version++, now + 100);
    now += 1000;
  }
  assert.equal(rewinder.leadMs, 10.7 + 30, 'at most 30 ms: later ones are spliced');
});

test('a rewind the server skipped is over: the next change may ask at once', () => {
  const rewinder = new Rewinder({ blockSize: 256, sampleRate: 48000, callbackMs: 10, reachBlocks: 94 });
  for (let s = 0; s < 40; s++) rewinder.arrived(s, 1, 0);
  assert.deepEqual(rewinder.changed(2, 0, 0), { op: 'rewind', from: 3 });
  assert.ok(rewinder.waiting);
  assert.equal(rewinder.changed(3, 0, 10), null, 'one at a time');
  rewinder.skipped();
  assert.ok(!rewinder.waiting);
  assert.deepEqual(rewinder.changed(4, 0, 20), { op: 'rewind', from: 3 });
});
