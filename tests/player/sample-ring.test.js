import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SampleRing } from '../../src/SynthNotebook/Player/sample-ring.js';
import { fadeInGain, fadeOutGain } from '../../src/SynthNotebook/Player/concealment.js';

const QUANTUM = 128;
const BLOCK = 256;

// A stream whose every sample says where it is: sample i is a sine, so steps between neighbours are small and known.
const streamSample = (i) => Math.fround(0.5 * Math.sin(2 * Math.PI * 440 * i / 48000));
const block = (first) => Float32Array.from({ length: BLOCK }, (_, k) => streamSample(first + k));

function ringWith(startSamples) {
  const ring = new SampleRing(1 << 14);
  ring.resume();
  ring.configure(startSamples);
  return ring;
}

// Pulls `quanta` render quanta and returns them joined.
function play(ring, quanta) {
  const played = new Float32Array(quanta * QUANTUM);
  for (let q = 0; q < quanta; q++) ring.pull(played.subarray(q * QUANTUM, (q + 1) * QUANTUM));
  return played;
}

const largestStep = (samples) => samples.slice(1).reduce((max, s, i) => Math.max(max, Math.abs(s - samples[i])), 0);

test('steady play is the stream, sample for sample, after a fade in at the start', () => {
  const ring = ringWith(1024);
  for (let first = 0; first < 4096; first += BLOCK) ring.push(block(first));
  const played = play(ring, 8);
  for (let k = 0; k < QUANTUM; k++) assert.equal(played[k], Math.fround(streamSample(k) * fadeInGain(k, QUANTUM)));
  for (let i = QUANTUM; i < played.length; i++) assert.equal(played[i], streamSample(i), `sample ${i}`);
  assert.equal(ring.underruns, 0);
});

test('an underrun fades out, stays silent until the cushion is back, fades in, and loses no sample', () => {
  const ring = ringWith(512);
  let next = 0;
  const feed = (blocks) => { for (let b = 0; b < blocks; b++, next += BLOCK) ring.push(block(next)); };
  feed(4);                                    // 1024 samples: 8 quanta
  const before = play(ring, 12);              // the ring runs dry during these
  assert.equal(ring.underruns, 1);
  assert.equal(ring.concealed, 1);
  feed(4);                                    // the late blocks arrive
  const after = play(ring, 12);
  const played = Float32Array.from([...before, ...after]);

  // Exact, then one faded quantum, then silence, then one quantum fading in, then exact again: in stream order.
  let i = 0;
  let s = 0;
  for (; played[i] === streamSample(s) || i < QUANTUM; i++, s++) { /* the start's fade-in and the steady part */ }
  const fadeStart = i;
  for (let k = 0; k < QUANTUM; k++, i++, s++) {
    assert.equal(played[i], Math.fround(streamSample(s) * fadeOutGain(k, QUANTUM)), `fade out sample ${k}`);
  }
  const silenceStart = i;
  while (played[i] === 0) i++;
  assert.ok(i - silenceStart >= QUANTUM, 'silence until the cushion is back');
  for (let k = 0; k < QUANTUM; k++, i++, s++) {
    assert.equal(played[i], Math.fround(streamSample(s) * fadeInGain(k, QUANTUM)), `fade in sample ${k}`);
  }
  // Exact up to the last quantum, which fades out again: nothing follows it.
  for (; s < next - QUANTUM; i++, s++) assert.equal(played[i], streamSample(s), `after, stream sample ${s}`);
  assert.equal(ring.underruns, 2);
  assert.ok(fadeStart > QUANTUM);
  // No step larger than the signal's own (the biggest step of the sine itself).
  const own = largestStep(Float32Array.from({ length: 2048 }, (_, k) => streamSample(k)));
  assert.ok(largestStep(played) <= own + 1e-6, `largest step ${largestStep(played)} vs the signal's ${own}`);
  // The ring measures the same, as it plays.
  assert.ok(Math.abs(ring.largestStep - largestStep(played)) < 1e-7);
  assert.ok(ring.largestStreamStep <= own + 1e-7 && ring.largestStreamStep > own * 0.9);
});

test('an underrun is counted once, and the block that ends it as late', () => {
  const ring = ringWith(512);
  for (let first = 0; first < 1024; first += BLOCK) ring.push(block(first));
  play(ring, 20);
  assert.equal(ring.underruns, 1);
  const dry = ring.dry;
  ring.push(block(1024));
  assert.equal(ring.late, 1);
  assert.equal(ring.lateBy, dry, 'how long it was dry');
  assert.ok(dry >= 10 * QUANTUM);
  assert.equal(ring.report().concealed, 1);
});

test('a paused ring plays silence and counts no underrun', () => {
  const ring = new SampleRing(4096);
  const played = play(ring, 4);
  assert.ok(played.every((s) => s === 0));
  assert.equal(ring.underruns, 0);
});

test('a duplex backlog is trimmed with a cross-fade, not a jump', () => {
  const ring = ringWith(512);
  ring.configure(512, 512 + QUANTUM, 4 * QUANTUM, 512);
  const chunk = (first, length) => Float32Array.from({ length }, (_, k) => streamSample(first + k));
  ring.push(chunk(0, 4096));                  // far more than the cushion, arriving at the pace it plays: a standing backlog
  const played = [];
  for (let q = 0, next = 4096; q < 16; q++, next += QUANTUM) {
    played.push(...play(ring, 1));
    ring.push(chunk(next, QUANTUM));
  }
  assert.ok(ring.skipped > 0, 'the backlog was skipped');
  assert.ok(ring.buffered < 4096 - ring.skipped + QUANTUM);
  const own = largestStep(Float32Array.from({ length: 2048 }, (_, k) => streamSample(k)));
  assert.ok(largestStep(Float32Array.from(played.slice(QUANTUM))) <= own + 1 / QUANTUM + 1e-6);
});

test('a hard cut shows in the ring\'s own step measure', () => {
  const ring = ringWith(512);
  for (let first = 0; first < 1024; first += BLOCK) ring.push(block(first));
  ring.configure(512);
  play(ring, 2);
  const before = ring.largestStep;
  const out = new Float32Array(QUANTUM);
  ring.measureSteps(out.fill(-1), false);   // as if the output jumped to full scale
  assert.ok(ring.largestStep > before && ring.largestStep > 10 * ring.largestStreamStep);
});

// A second stream, the "rendered again" one: another frequency, so a splice that jumped would show as a step.
const newSample = (i) => Math.fround(0.5 * Math.sin(2 * Math.PI * 660 * i / 48000 + 2));
const newBlock = (first) => Float32Array.from({ length: BLOCK }, (_, k) => newSample(first + k));

test('a rewind replaces what is queued from its start, exactly, and the stream plays on from there', () => {
  const ring = ringWith(512);
  for (let first = 0; first < 8 * BLOCK; first += BLOCK) ring.push(block(first));
  play(ring, 4);                                           // 512 played; 1536 queued
  ring.receive({ type: 'rewound', at: 3 * BLOCK, blocks: [3, 4, 5, 6, 7].map((b) => newBlock(b * BLOCK)) });
  assert.equal(ring.buffered, 8 * BLOCK - 512, 'as much queued as before');
  assert.equal(ring.offered, 8 * BLOCK);
  ring.push(newBlock(8 * BLOCK));                          // the stream goes on after the rewind's blocks
  const after = play(ring, 10);
  for (let i = 512; i < 3 * BLOCK; i++) assert.equal(after[i - 512], streamSample(i), `old sample ${i}`);
  for (let i = 3 * BLOCK; i < 512 + after.length; i++) assert.equal(after[i - 512], newSample(i), `new sample ${i}`);
  assert.equal(ring.replaced, 1);
  assert.equal(ring.replacedLate, 0);
});

test('a rewind whose start has played splices at the playing position with a cross-fade, never a click', () => {
  const ring = ringWith(512);
  for (let first = 0; first < 8 * BLOCK; first += BLOCK) ring.push(block(first));
  const before = play(ring, 5);                            // 640 played: block 2 is half played
  ring.receive({ type: 'rewound', at: 2 * BLOCK, blocks: [2, 3, 4, 5, 6, 7].map((b) => newBlock(b * BLOCK)) });
  assert.equal(ring.buffered, 8 * BLOCK - 640, 'the played part of block 2 is not queued again');
  const after = play(ring, 8);
  const played = Float32Array.from([...before, ...after]);
  for (let i = 640 + QUANTUM; i < played.length; i++) assert.equal(played[i], newSample(i), `new sample ${i}`);
  // The fade moves from one signal to the other by at most their largest difference (1) over the quantum.
  const steps = Math.max(largestStep(Float32Array.from({ length: 2048 }, (_, i) => streamSample(i))),
    largestStep(Float32Array.from({ length: 2048 }, (_, i) => newSample(i))));
  const crossing = largestStep(played.subarray(640 - 1, 640 + QUANTUM + 1));
  assert.ok(Math.abs(newSample(640) - streamSample(639)) > 5 * (steps + 1 / QUANTUM), 'a hard splice here would click');
  assert.ok(crossing <= steps + 1 / QUANTUM, `a step of ${crossing} across the splice, the signals' own ${steps}`);
  assert.equal(ring.replacedLate, 1);
  assert.equal(ring.splicedAt, 640);
  assert.equal(ring.splicedFrom, 2 * BLOCK, 'where the rewind began');
  assert.equal(ring.underruns, 0);
});

test('a timed key\'s rewind whose block start has played but whose key has not is spliced in, and is not late', () => {
  const ring = ringWith(512);
  for (let first = 0; first < 8 * BLOCK; first += BLOCK) ring.push(block(first));
  play(ring, 5);                                           // 640 played: block 2 is half played, its key at 700 is not
  const rewound = [2, 3, 4, 5, 6, 7].map((b) => block(b * BLOCK));
  for (let i = 700 - 2 * BLOCK; i < BLOCK; i++) rewound[0][i] = newSample(2 * BLOCK + i);   // the same up to the key
  ring.receive({ type: 'rewound', at: 2 * BLOCK, changeAt: 700, blocks: rewound });
  const after = play(ring, 1);
  for (let i = 0; i < QUANTUM; i++) {
    const at = 640 + i;
    assert.equal(after[i], at < 700 ? streamSample(at) : newSample(at), `sample ${at}: the cross-fade is between equals`);
  }
  assert.equal(ring.replacedLate, 0);
  play(ring, 1);
  ring.receive({ type: 'rewound', at: 4 * BLOCK, changeAt: 4 * BLOCK + 10, blocks: [block(4 * BLOCK)] });   // 768 played, so
  assert.equal(ring.replacedLate, 0, 'ahead of the playing position: in time');
});

test('blocks of a rewind that played entirely are skipped, and the rest splices where the ring is', () => {
  const ring = ringWith(512);
  for (let first = 0; first < 8 * BLOCK; first += BLOCK) ring.push(block(first));
  play(ring, 8);                                           // 1024 played: blocks 0–3
  ring.receive({ type: 'rewound', at: BLOCK, blocks: [1, 2, 3, 4, 5, 6, 7].map((b) => newBlock(b * BLOCK)) });
  assert.equal(ring.buffered, 4 * BLOCK);
  assert.equal(ring.offered, 8 * BLOCK);
  const after = play(ring, 6);
  for (let i = 1024 + QUANTUM; i < 1024 + after.length; i++) assert.equal(after[i - 1024], newSample(i), `new sample ${i}`);
  assert.equal(ring.splicedFrom, BLOCK);
});

test('a rewind that came so late that the ring played past its first blocks places the rest where they belong', () => {
  const ring = ringWith(512);
  for (let first = 0; first < 12 * BLOCK; first += BLOCK) ring.push(block(first));
  play(ring, 16);                                          // 2048 played: blocks 0–7
  ring.receive({ type: 'rewound', at: 2 * BLOCK, blocks: [2, 3, 4, 5].map((b) => newBlock(b * BLOCK)) });
  for (let b = 6; b < 12; b++) ring.receive({ type: 'block', samples: newBlock(b * BLOCK), at: b * BLOCK });
  assert.equal(ring.offered, 12 * BLOCK);
  const after = play(ring, 6);
  // From block 8 on, each sample in its place (after the fade from what was due), never a block at another's place.
  for (let k = QUANTUM; k < after.length; k++) assert.equal(after[k], newSample(8 * BLOCK + k), `sample ${8 * BLOCK + k}`);
  assert.equal(ring.replacedLate, 1);
});
