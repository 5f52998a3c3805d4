import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cushion } from '../../src/SynthNotebook/Player/cushion.js';

// A 256-sample stream at 48 kHz on a device that takes 512 frames at once (headless Chromium's), driven by made-up
// ring reports (one every 5 ms) on a made-up clock.
const RATE = 48000;
const CALLBACK_MS = 512 / RATE * 1000;
const QUANTUM_MS = 128 / RATE * 1000;
const cushionFor = (floorMs, duplex) => new Cushion({ floorMs, callbackMs: CALLBACK_MS, sampleRate: RATE, blockSize: 256, duplex }, 0);

// Plays `seconds` of reports from `from` (ms); `underrunAt` (s) marks one report as having underrun.
function play(cushion, from, seconds, underrunAt = -1) {
  let reconfigured = 0;
  for (let t = from; t < from + seconds * 1000; t += 5) {
    const underran = underrunAt >= 0 && Math.abs(t - underrunAt * 1000) < 2.5;
    if (cushion.observe(underran, t)) reconfigured++;
  }
  return { targetMs: cushion.targetMs, floorMs: cushion.floorMs, reconfigured, ring: cushion.ringSettings() };
}

const near = (actual, expected, about) => assert.ok(Math.abs(actual - expected) < 1e-6, `${about}: ${actual} vs ${expected}`);

test('a synth stream starts thick and thins to the floor after a calm start', () => {
  const cushion = cushionFor(24, false);
  assert.equal(cushion.why, 'starting thick');
  assert.equal(play(cushion, 0, 1.5).targetMs, 200);
  const thinning = play(cushion, 1500, 1).targetMs;
  assert.ok(Math.abs(thinning - 170) < 0.5, `30 ms per second: ${thinning}`);
  near(play(cushion, 2500, 10).targetMs, 24, 'at the floor');
  const last = play(cushion, 12_500, 0.005);
  near(last.targetMs, 24, 'stays');
  assert.equal(last.reconfigured, 0);
  assert.equal(last.ring.startSamples, 24 * RATE / 1000);
  assert.equal(last.ring.maxSamples, Infinity, 'a synth stream never trims');
  assert.equal(cushion.why, 'at its floor');
});

test('an underrun grows the floor and the target at once, and it thins back only to the raised floor', () => {
  const cushion = cushionFor(24, false);
  play(cushion, 0, 10);
  const underrun = play(cushion, 10_000, 0.01, 10);
  near(underrun.floorMs, 24 * 1.25 + 2, 'floor');
  near(underrun.targetMs, 24 * 1.5 + 5, 'target');
  assert.equal(underrun.reconfigured, 1);
  assert.equal(underrun.ring.startSamples, Math.round((24 * 1.5 + 5) / 1000 * RATE));
  assert.equal(cushion.why, 'thinning after an underrun');
  near(play(cushion, 10_010, 20).targetMs, 24 * 1.25 + 2, 'after a calm spell');
  assert.equal(cushion.why, 'raised by 1 underrun');
});

test('a duplex stream starts at its floor, ignores start-up underruns and grows a block for a later one', () => {
  const cushion = cushionFor(32, true);
  const steps = [play(cushion, 0, 0.005).targetMs, play(cushion, 5, 0.9, 0.5).targetMs, play(cushion, 905, 5).targetMs];
  const later = play(cushion, 5905, 0.01, 5.905);
  const grown = 32 + 256 * 1000 / RATE;
  [32, 32, 32].forEach((ms, i) => near(steps[i], ms, `step ${i}`));
  near(later.targetMs, grown, 'target');
  near(later.floorMs, grown, 'floor');
  const start = Math.round(grown / 1000 * RATE);
  assert.deepEqual(later.ring, { type: 'configure', startSamples: start, maxSamples: start + 128, trimWindow: RATE / 2, trimTo: start });
});

test('a slow delivery raises the floor to outlast it until it fades', () => {
  const cushion = cushionFor(24, false);
  play(cushion, 0, 10);
  assert.equal(cushion.observeDelivery(3, 10_000), false, 'well within what 24 ms outlasts');
  near(cushion.floorMs, 24, 'the floor stands');
  assert.equal(cushion.observeDelivery(30, 10_005), true, 'a stall raises the target at once');
  near(cushion.floorMs, CALLBACK_MS + 30 + QUANTUM_MS, 'floor');
  near(cushion.targetMs, CALLBACK_MS + 30 + QUANTUM_MS, 'target');
  assert.equal(cushion.ringSettings().startSamples, Math.round((CALLBACK_MS + 30 + QUANTUM_MS) / 1000 * RATE));
  assert.equal(cushion.why, 'held up for 30 ms deliveries');
  near(play(cushion, 10_010, 30).floorMs, CALLBACK_MS + 15 + QUANTUM_MS, 'one half-life on');
  near(play(cushion, 40_010, 30).floorMs, 24, 'two: within what 24 ms outlasts');
  near(play(cushion, 70_005, 0.005).targetMs, 24, 'and the target thinned back');
});

test('an underrun after a slow delivery raises the lasting floor from the option\'s floor only', () => {
  const cushion = cushionFor(24, false);
  play(cushion, 0, 10);
  cushion.observeDelivery(20, 10_000);
  near(play(cushion, 10_000, 0.005, 10).floorMs, CALLBACK_MS + 20 + QUANTUM_MS, 'the late block holds the floor up');
  const later = play(cushion, 10_005, 120);
  near(later.floorMs, 24 * 1.25 + 2, 'once it faded');
  near(later.targetMs, 24 * 1.25 + 2, 'target');
});
