import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fadeIn, fadeInGain, fadeOut, fadeOutGain } from '../../src/SynthNotebook/Player/concealment.js';

test('a fade out ends at exactly zero and a fade in at exactly full gain', () => {
  assert.equal(fadeOutGain(127, 128), 0);
  assert.equal(fadeInGain(127, 128), 1);
  assert.ok(fadeOutGain(0, 128) < 1 && fadeInGain(0, 128) > 0);
});

test('the ramps are monotonic and step by one 128th of full scale', () => {
  const out = new Float32Array(128).fill(1);
  const into = new Float32Array(128).fill(1);
  fadeOut(out);
  fadeIn(into);
  for (let k = 1; k < 128; k++) {
    assert.ok(out[k] < out[k - 1], `fade out falls at ${k}`);
    assert.ok(into[k] > into[k - 1], `fade in rises at ${k}`);
    assert.ok(Math.abs(out[k - 1] - out[k] - 1 / 128) < 1e-6);
  }
  assert.ok(1 - out[0] <= 1 / 128 + 1e-7, 'the first faded sample is within a step of the last full one');
});
