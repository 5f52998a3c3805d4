import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, formatHz, frequencyScale, percentile } from '../../src/SynthNotebook/Player/player-view.js';

test('the frequency slider spans 20 Hz to the synth\'s Nyquist frequency, logarithmically', () => {
  const scale = frequencyScale(24000);
  assert.equal(scale.toSlider(20), 0);
  assert.equal(scale.toSlider(24000), scale.steps);
  assert.ok(Math.abs(scale.fromSlider(scale.steps) - 24000) < 1e-6);
  assert.ok(Math.abs(scale.fromSlider(scale.toSlider(440)) - 440) < 1, 'a step is under a hertz at 440 Hz');
  assert.equal(scale.toSlider(30000), scale.steps, 'above the range it stays at the end');
  assert.equal(frequencyScale(22050).fromSlider(frequencyScale(22050).steps), 22050);
});

test('frequencies read as Hz or kHz', () => {
  assert.equal(formatHz(250), '250.0 Hz');
  assert.equal(formatHz(1500), '1.50 kHz');
});

test('percentiles pick from the sorted values', () => {
  assert.equal(percentile([5, 1, 3], 0.5), 3);
  assert.ok(Number.isNaN(percentile([], 0.5)));
});

test('the status line says how much is buffered, why, and how many underruns were concealed', () => {
  const line = describe({
    sampleRate: 48000, blockSize: 256, bufferedMs: 31.2, targetMs: 41, cushionWhy: 'thinning after an underrun',
    underruns: 2, concealed: 2, late: 1, latenciesMs: [20, 30, 40], roundTripMs: [], skipped: 0, deviceMs: 0, mode: 'synth',
  });
  assert.equal(line, 'connected · 48000 Hz · 256-sample blocks · buffered 31 ms (cushion 41 ms, thinning after an underrun)'
    + ' · underruns 2, 2 concealed · late 1 · change→sound 30 ms');
});

test('the status line names the patch playing, and puts a failed source first', () => {
  const stats = {
    sampleRate: 48000, blockSize: 256, bufferedMs: 24, targetMs: 0, cushionWhy: '', underruns: 0, concealed: 0, late: 0,
    latenciesMs: [], roundTripMs: [], skipped: 0, deviceMs: 0, mode: 'synth', source: 'saw 110 Hz → LowPass filter',
  };
  assert.ok(describe(stats).endsWith(' · playing saw 110 Hz → LowPass filter'));
  assert.ok(!describe({ ...stats, mode: 'duplex' }).includes('playing'), 'a microphone player plays its microphone, not the patch');
  const failed = describe({ ...stats, sourceError: "'saw' threw DivideByZeroException: boom — playing silence" });
  assert.ok(failed.startsWith("source failed: 'saw' threw DivideByZeroException: boom — playing silence · connected"), failed);
  assert.ok(!failed.includes('playing saw'), 'a failed source is not said to be playing');
});
