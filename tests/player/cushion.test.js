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

const near = (actual, expected, about, within = 1e-6) => assert.ok(Math.abs(actual - expected) < within, `${about}: ${actual} vs ${expected}`);
const FADING = 0.01;   // what a floor fades in the few ms a step of these tests takes

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
  near(underrun.floorMs, 24 * 1.25 + 2, 'floor', FADING);
  near(underrun.targetMs, 24 * 1.5 + 5, 'target');
  assert.equal(underrun.reconfigured, 1);
  assert.equal(underrun.ring.startSamples, Math.round((24 * 1.5 + 5) / 1000 * RATE));
  assert.equal(cushion.why, 'thinning after an underrun');
  // It thins back to the raised floor, which itself fades back to the option's, halving every minute of calm.
  const raisedBy = 24 * 0.25 + 2;
  const calm = play(cushion, 10_010, 20);
  near(calm.floorMs, 24 + raisedBy * Math.pow(0.5, 20 / 60), 'the floor after 20 s of calm', FADING);
  near(calm.targetMs, calm.floorMs, 'the target follows it');
  assert.equal(cushion.why, 'raised by 1 underrun');
  near(play(cushion, 30_010, 600).targetMs, 24 + raisedBy * Math.pow(0.5, 620 / 60), 'ten minutes on: nearly back', FADING);
  assert.equal(cushion.why, 'at its floor');
});

test('a late block grows the cushion at once by how long the ring was dry', () => {
  const cushion = cushionFor(24, false);
  play(cushion, 0, 10);
  play(cushion, 10_000, 0.005, 10);                      // the underrun, at a 24 ms target
  assert.equal(cushion.observeLate(40, 10_010), true);   // the ring was dry for 40 ms before the block came
  near(cushion.floorMs, 24 + 40 + QUANTUM_MS, 'floor: what would have held');
  assert.ok(cushion.targetMs >= cushion.floorMs);
  assert.equal(cushion.observeLate(5, 10_020), false, 'a shorter dry spell asks nothing more');
  const duplex = cushionFor(32, true);
  assert.equal(duplex.observeLate(40, 5000), false, 'a duplex ring keeps its own rule');
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
  const lasting = 24 + (24 * 0.25 + 2) * Math.pow(0.5, 120.005 / 60);
  near(later.floorMs, lasting, 'once the slow delivery faded, the underrun\'s own rise, from the option\'s floor', FADING);
  near(later.targetMs, lasting, 'target', FADING);
});

// Recorded deliveries of a real player (PlayerBenchmark --trace): [ms, delay ms] of each block from its credit to its
// arrival, on this project's 2-core machine, quiet and with both cores loaded (stress-ng). Replayed against the
// cushion: a block whose delay exceeds what the cushion held (target − the device's callback − a quantum) is an
// underrun, and the ring then reports it dry for the excess.
import { readFileSync } from 'node:fs';

function replay(file) {
  const trace = JSON.parse(readFileSync(new URL(`./traces/${file}`, import.meta.url)));
  const cushion = cushionFor(24, false);
  const targets = [];
  let underruns = 0;
  let counted = 0;
  for (const [at, delay] of trace) {
    const held = cushion.targetMs - CALLBACK_MS - QUANTUM_MS;
    const underran = cushion.settled && delay > held;
    cushion.observe(underran, at);
    cushion.observeDelivery(delay, at);
    if (underran) {
      cushion.observeLate(delay - held, at);
      underruns++;
      if (at > 10_000) counted++;
    }
    if (at > 10_000) targets.push(cushion.targetMs);
  }
  const minutes = (trace.at(-1)[0] - 10_000) / 60_000;
  targets.sort((a, b) => a - b);
  return { underruns, perMinute: counted / minutes, median: targets[targets.length >> 1], max: targets.at(-1), deliveries: trace.length };
}

// The quiet trace is of this project's idle 2-core VM, which still stalls deliveries for 100–170 ms about three times a
// minute (p99 of delays 15 ms, p99.9 141 ms): no cushion thinner than those stalls outlasts them, and the player
// conceals them. What the rules must do there is not stay thick for it, and never let one stall cascade.
test('a quiet machine\'s rare stalls are each one concealed underrun, and the cushion does not stay thick for them', () => {
  const quiet = replay('quiet.json');
  assert.ok(quiet.deliveries > 5000);
  assert.ok(quiet.perMinute <= 4, `${quiet.perMinute.toFixed(2)} underruns a minute`);
  assert.ok(quiet.median <= 80, `median cushion ${quiet.median.toFixed(1)} ms`);
});

test('a busy machine\'s deliveries grow the cushion to what they need: at most one underrun a minute after 10 s', () => {
  const busy = replay('busy.json');
  const quiet = replay('quiet.json');
  assert.ok(busy.perMinute <= 1, `${busy.perMinute.toFixed(2)} underruns a minute`);
  assert.ok(busy.median > quiet.median, `busy ${busy.median.toFixed(1)} ms vs quiet ${quiet.median.toFixed(1)} ms`);
  assert.ok(busy.max <= 400);
});
