import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PaceKeeper, paceFor } from '../../src/SynthNotebook/Player/pace-keeper.js';

const RATE = 48000;
const BLOCK = 256;
const blockMs = BLOCK / RATE * 1000;
const ms = (m) => m / 1000 * RATE;

const keeper = (pace = 2, now = 0) => new PaceKeeper({ pace, blockSize: BLOCK, sampleRate: RATE, callbackMs: 10, maxBlocks: 64 }, now);
const dip = (2 * BLOCK + ms(10)) / 2;   // the ring's mean below what is arranged: half a group and half a callback

test('a group is about 8 ms of whole blocks, at least one, at most the server\'s catch-up', () => {
  assert.equal(paceFor(256, 48000, 16), 2);
  assert.equal(paceFor(128, 48000, 16), 3);
  assert.equal(paceFor(4096, 44100, 16), 1);
  assert.equal(paceFor(16, 48000, 16), 16);
});

test('the cushion is asked for once; a target that grows asks for the difference, one that shrinks holds it back', () => {
  const k = keeper();
  assert.deepEqual(k.steer(0, 0, ms(30), 0), { op: 'credit', blocks: Math.ceil(ms(30) / BLOCK) });
  assert.equal(k.steer(0, 6, ms(30), 1), null, 'on its way');
  assert.equal(k.steer(ms(30) - dip, 0, ms(30), 2), null);
  assert.deepEqual(k.steer(ms(30) - dip, 0, ms(60), 3), { op: 'credit', blocks: Math.ceil(ms(30) / BLOCK) });
  assert.deepEqual(k.steer(ms(60) - dip, 0, ms(40), 4), { op: 'hold', blocks: 4 });   // 12 blocks arranged, 7.5 wanted
  assert.equal(k.extras, 12);
  assert.equal(k.holds, 4);
});

test('a target thinning slowly is followed a block at a time, and leaves no correction behind', () => {
  const k = keeper();
  const actions = [];
  let queued = 0;
  for (let t = 0; t <= 20_000; t += 5) {
    const target = ms(Math.max(24, 200 - Math.max(0, t - 1500) * 0.03));   // 200 ms, thinning 30 ms/s from 1.5 s
    const action = k.steer(queued, 0, target, t);
    if (action) actions.push(action);
    queued = k.arranged - dip;   // the schedule keeps what was arranged
  }
  assert.equal(actions[0].op, 'credit');
  assert.ok(actions.slice(1).every((a) => a.op === 'hold'), JSON.stringify(actions.slice(0, 5)));
  assert.ok(Math.abs(k.arranged - ms(24)) < BLOCK, `arranged ${k.arranged}`);
});

test('jitter is not corrected; a level the clock let drift three blocks off is, now and then', () => {
  const k = keeper();
  k.steer(0, 0, ms(30), 0);
  const arranged = k.arranged;
  // Groups late by up to two blocks, at random: nothing is sent.
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let t = 5; t <= 10_000; t += 5) assert.equal(k.steer(arranged - dip - 2 * BLOCK * random(), 0, ms(30), t), null);
  // The server's clock lost five blocks (it fell far behind and skipped): made good once the mean shows it.
  const actions = [];
  for (let t = 10_005; t <= 20_000; t += 5) {
    const extra = actions.reduce((sum, a) => sum + (a.op === 'credit' ? a.blocks : -a.blocks), 0);
    const action = k.steer(arranged - dip - (5 - extra) * BLOCK, 0, ms(30), t);
    if (action) actions.push(action);
  }
  assert.ok(actions.length >= 1 && actions.every((a) => a.op === 'credit'), JSON.stringify(actions));
  const made = actions.reduce((sum, a) => sum + a.blocks, 0);
  assert.ok(made >= 2 && made <= 5, `made good ${made} blocks`);
  assert.equal(k.arranged, arranged, 'a correction restores the arrangement, it does not change it');
});

test('the wait for each group is its length plus how late it came; blocks within a group are not timed', () => {
  const k = keeper();
  const group = 2 * blockMs;
  assert.equal(k.arrived(0, true), null);          // the first group: nothing to measure from
  assert.equal(k.arrived(0.1, true), null);        // its second block
  assert.equal(k.arrived(group, true), group);     // on time
  assert.equal(k.arrived(group + 0.05, true), null);
  assert.ok(Math.abs(k.arrived(3 * group, true) - 2 * group) < 1e-9);   // a group late by one group's length
  assert.equal(k.arrived(3.5 * group, true), group);                     // early after a late one: no credit for it
});

test('the gap a hold asked for is not lateness', () => {
  const k = keeper();
  const group = 2 * blockMs;
  k.steer(0, 0, ms(60), 0);
  k.arrived(0, true);
  k.arrived(group, true);
  assert.deepEqual(k.steer(ms(60) - dip, 0, ms(40), group + 1), { op: 'hold', blocks: 4 });
  assert.equal(k.arrived(2 * group, true), group, 'the server had not applied it yet');
  assert.ok(Math.abs(k.arrived(3 * group + 4 * blockMs, true) - group) < 1e-9, 'the held gap');
  assert.ok(Math.abs(k.arrived(5 * group + 4 * blockMs, true) - 2 * group) < 1e-9, 'late again: that is late');
});

test('a level the device\'s late start left above the arrangement is corrected while the target thins', () => {
  const k = keeper();
  let excess = 0;   // blocks queued beyond the arrangement: the device started 150 ms after the server's clock
  const actions = [];
  for (let t = 0; t <= 12_000; t += 5) {
    if (t === 150) excess = Math.round(ms(150) / BLOCK);
    const target = ms(Math.max(24, 200 - Math.max(0, t - 1500) * 0.03));
    const arranged = k.arranged;
    const action = k.steer(arranged - dip + excess * BLOCK, 0, target, t);
    if (action) actions.push(action);
    // A correction (a hold that leaves the arrangement as it was) takes its blocks off the excess.
    if (action?.op === 'hold' && k.arranged === arranged) excess -= action.blocks;
  }
  assert.ok(excess <= 3, `still ${excess} blocks above the arrangement; ${JSON.stringify(actions.filter((a) => a.blocks > 1))}`);
});

test('a wait counts when the ring played as it began, whether or not it plays at its end', () => {
  const k = keeper();
  const group = 2 * blockMs;
  k.arrived(0, false);
  assert.equal(k.arrived(group, true), null, 'began before the ring played');
  assert.ok(Math.abs(k.arrived(group + 100, false) - 100) < 1e-9, 'a stall that ran the ring dry');
});
