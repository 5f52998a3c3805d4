import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { StreamLink, creditBatch, clockMs as clock } from '../../src/SynthNotebook/Player/stream-link.js';

// The link's world, made up: a socket that records what is sent, and a ring port that records what it is given.
class FakeSocket {
  static OPEN = 1;
  static last = null;
  constructor(url) { this.url = url; this.sent = []; this.readyState = FakeSocket.OPEN; FakeSocket.last = this; }
  send(data) { this.sent.push(data); }
  close(code, reason) { this.onclose?.({ code, reason }); }
  receive(data) { this.onmessage({ data }); }
}
globalThis.WebSocket = FakeSocket;

const RATE = 48000;
const BLOCK = 256;

function blockMessage(sequence, version = 1) {
  const buffer = new ArrayBuffer(16 + BLOCK * 4);
  const header = new DataView(buffer, 0, 16);
  header.setBigUint64(0, BigInt(sequence), true);
  header.setUint32(8, version, true);
  header.setUint32(12, BLOCK, true);
  new Float32Array(buffer, 16).fill(sequence);
  return buffer;
}

function connectedLink(pace, welcome = {}, connect = {}) {
  const posted = [];
  const ring = { messages: [], postMessage(message) { this.messages.push(message); } };
  const link = new StreamLink((message) => posted.push(message));
  link.command({ type: 'attach', port: ring });
  link.command({ type: 'connect', url: 'ws://127.0.0.1:1/', token: 't', sampleRate: RATE, blockSize: BLOCK, maxPace: 16, mode: 'synth', floorMs: 24, callbackMs: 10, ...connect });
  const socket = FakeSocket.last;
  socket.onopen();
  socket.receive(JSON.stringify({ op: 'welcome', mode: 'synth', blockSize: BLOCK, maxCredits: 64, ...(pace ? { pace } : {}), ...welcome, params: { components: [], gain: 1 } }));
  return { link, ring, socket, posted };
}

const credits = (socket) => socket.sent.filter((m) => typeof m === 'string' && JSON.parse(m).op === 'credit')
  .reduce((sum, m) => sum + JSON.parse(m).blocks, 0);

test('the hello names the token, rate, block size and mode, asks for a pace of two blocks and a history to rewind', () => {
  const { socket } = connectedLink();
  assert.deepEqual(JSON.parse(socket.sent[0]), { op: 'hello', version: 1, token: 't', sampleRate: RATE, blockSize: BLOCK, mode: 'synth', pace: 2, rewind: true });
});

const messages = (socket, op) => socket.sent.filter((m) => typeof m === 'string' && JSON.parse(m).op === op);
const report = (consumed, offered, extra = {}) => ({ type: 'status', offered, consumed, buffered: offered - consumed, underruns: 0, concealed: 0, late: 0, overflows: 0, playing: true, ...extra });

test('paced, the start-up cushion is asked for once, and playing it sends nothing while the server\'s groups keep it', () => {
  const { link, socket } = connectedLink(2);
  const granted = credits(socket);
  assert.equal(granted, Math.ceil(0.2 * RATE / BLOCK));
  let sequence = 0;
  for (; sequence < granted; sequence++) socket.receive(blockMessage(sequence));
  // A second of playing: the device takes 480 frames at a time, the server sends a group of 2 every 2 blocks' time.
  let consumed = 0;
  for (let frame = 480; frame <= RATE; frame += 480) {
    consumed = frame;
    while (sequence * BLOCK < granted * BLOCK + consumed - (consumed % (2 * BLOCK))) socket.receive(blockMessage(sequence++));
    link.onRingReport(report(consumed, sequence * BLOCK));
  }
  assert.equal(credits(socket), granted, 'no credit while the level holds');
  assert.equal(link.stats().pace, 2);
});

test('paced, an underrun grows the cushion and the difference is asked for at once', () => {
  const { link, socket } = connectedLink(2);
  const granted = credits(socket);
  for (let s = 0; s < granted; s++) socket.receive(blockMessage(s));
  link.onRingReport(report(granted * BLOCK, granted * BLOCK, { underruns: 1, concealed: 1, playing: false }));
  assert.ok(credits(socket) > granted, 'extra blocks asked for');
  assert.equal(link.stats().paceExtras, credits(socket));
});

test('at the welcome it grants enough blocks to fill the start-up cushion, and no more', () => {
  const { socket, ring } = connectedLink();
  const startUpMs = 200;
  assert.equal(credits(socket), Math.ceil(startUpMs / 1000 * RATE / BLOCK));
  assert.deepEqual(ring.messages.slice(0, 1), [{ type: 'resume' }]);
  assert.equal(ring.messages[1].startSamples, startUpMs / 1000 * RATE);
});

test('every block goes to the ring in order, and what the ring plays is granted again', () => {
  const { link, socket, ring } = connectedLink();
  const granted = credits(socket);
  for (let s = 0; s < 5; s++) socket.receive(blockMessage(s));
  const blocks = ring.messages.filter((m) => m.type === 'block');
  assert.deepEqual(blocks.map((b) => b.samples[0]), [0, 1, 2, 3, 4]);
  assert.equal(credits(socket), granted, 'queued in the ring: nothing more is needed yet');
  const played = 5 * BLOCK;
  link.onRingReport({ type: 'status', offered: played, consumed: played, buffered: 0, underruns: 0, concealed: 0, late: 0, overflows: 0, playing: true });
  assert.equal(credits(socket), granted + 5, 'the cushion is kept full');
});

test('credits go in batches of a quarter of the cushion, one to four blocks: a thin cushion stays thin', () => {
  const ms = (m) => m / 1000 * RATE;
  assert.equal(creditBatch(ms(10), BLOCK), 1);
  assert.equal(creditBatch(ms(24), BLOCK), 1);    // the quiet floor: 4.5 blocks
  assert.equal(creditBatch(ms(45), BLOCK), 2);
  assert.equal(creditBatch(ms(80), BLOCK), 3);    // a cushion grown on a busy machine
  assert.equal(creditBatch(ms(200), BLOCK), 4);
});

test('a cushion a block short asks for a whole batch, so the server wakes a batch less often', () => {
  const { link, socket } = connectedLink();   // the start-up cushion, 200 ms: batches of 4
  const granted = credits(socket);
  for (let s = 0; s < granted; s++) socket.receive(blockMessage(s));
  const queued = granted * BLOCK;
  link.onRingReport({ type: 'status', offered: queued, consumed: BLOCK, buffered: queued - BLOCK, underruns: 0, concealed: 0, late: 0, overflows: 0, playing: true });
  assert.equal(credits(socket), granted + 4);
  const asked = socket.sent.filter((m) => typeof m === 'string' && JSON.parse(m).op === 'credit').length;
  link.onRingReport({ type: 'status', offered: queued, consumed: 2 * BLOCK, buffered: queued - 2 * BLOCK, underruns: 0, concealed: 0, late: 0, overflows: 0, playing: true });
  assert.equal(socket.sent.filter((m) => typeof m === 'string' && JSON.parse(m).op === 'credit').length, asked, 'still above the cushion: no message');
});

test('a stall holds deliveries for its time, then hands them on in order, as a slow network would', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { link, socket, ring } = connectedLink();
    link.command({ type: 'stall', ms: 100 });
    for (let s = 0; s < 3; s++) socket.receive(blockMessage(s));
    assert.equal(ring.messages.filter((m) => m.type === 'block').length, 0, 'held');
    mock.timers.tick(100);
    assert.deepEqual(ring.messages.filter((m) => m.type === 'block').map((b) => b.samples[0]), [0, 1, 2]);
  } finally {
    mock.timers.reset();
  }
});

test('a ring report of an underrun grows the cushion and tells the ring', () => {
  const { link, ring } = connectedLink();
  const before = ring.messages.filter((m) => m.type === 'configure').length;
  link.onRingReport({ type: 'status', offered: 0, consumed: 0, buffered: 0, underruns: 1, concealed: 1, late: 0, overflows: 0, playing: false });
  const configures = ring.messages.filter((m) => m.type === 'configure');
  assert.equal(configures.length, before + 1);
  assert.ok(configures.at(-1).startSamples > ring.messages[1].startSamples);
  assert.equal(link.stats().concealed, 1);
});

test('a close pauses the ring and tells the widget the code and reason', () => {
  const { socket, ring, posted } = connectedLink();
  socket.close(1001, 'The server is stopping.');
  assert.deepEqual(ring.messages.at(-1), { type: 'pause' });
  assert.deepEqual(posted.at(-1), { type: 'closed', code: 1001, reason: 'The server is stopping.' });
});

// Twenty blocks received, four played: the ring reports 16 queued (85 ms), playing from stream sample 1024.
function rewindingLink() {
  const parts = connectedLink(2, { rewindBlocks: 94 });
  for (let s = 0; s < 20; s++) parts.socket.receive(blockMessage(s, 1));
  parts.link.onRingReport(report(4 * BLOCK, 20 * BLOCK));
  return parts;
}

// Just ahead of the playing position: past the device's next callback (10 ms here) and the rewind's way (4 ms).
const SAFE_FROM = Math.ceil((4 * BLOCK + (10 + 4) / 1000 * RATE) / BLOCK);

test('a params broadcast asks for the queued blocks again from just ahead of the playing position', () => atOneMoment(() => {
  const { socket } = rewindingLink();
  socket.receive(JSON.stringify({ op: 'params', version: 2, gain: 1, components: [] }));
  assert.deepEqual(messages(socket, 'rewind').map((m) => JSON.parse(m)), [{ op: 'rewind', from: SAFE_FROM }]);
  assert.equal(SAFE_FROM, 7);
}));

// The clock stands still inside `during`: the playing position a rewind starts from does not drift on a busy machine
// (a test that rewinds from just ahead of it would otherwise ask from a block later when the machine is slow).
function atOneMoment(during) {
  const now = performance.now();
  const real = performance.now;
  performance.now = () => now;
  try { during(); } finally { performance.now = real; }
}

test('a swapped patch asks for the queued blocks again like a change; a source\'s failure asks for nothing', () => atOneMoment(() => {
  const { socket } = rewindingLink();
  socket.receive(JSON.stringify({ op: 'source', version: 2, name: "'x' threw", error: "'x' threw Exception: no" }));
  assert.deepEqual(messages(socket, 'rewind'), [], 'the silence of a failure is rendered already');
  socket.receive(JSON.stringify({ op: 'source', version: 3, name: 'saw 110 Hz' }));
  assert.deepEqual(messages(socket, 'rewind').map((m) => JSON.parse(m)), [{ op: 'rewind', from: SAFE_FROM }]);
}));

// The first sample a rewind asked for now can change: the playing position, a device callback and the least way there
// and back ahead.
const EARLIEST = Math.ceil(4 * BLOCK + (10 + 4) / 1000 * RATE);

test('notes played anywhere ask for a rewind like a change; the player\'s own notes ask right behind them', () => atOneMoment(() => {
  const { socket } = rewindingLink();
  socket.receive(JSON.stringify({ op: 'notes', version: 2 }));
  assert.deepEqual(messages(socket, 'rewind').map((m) => JSON.parse(m)), [{ op: 'rewind', from: SAFE_FROM }]);
  // The player's own key is timed to the earliest sample a rewind can change, and the rewind asked for from the block
  // that holds it (not the next whole block after it): the key is heard from its sample.
  const own = rewindingLink();
  own.link.command({ type: 'send', message: { op: 'note-on', note: 60, velocity: 0.8 }, sentAt: clock() });
  assert.deepEqual(own.socket.sent.slice(-2).map((m) => JSON.parse(m)),
    [{ op: 'note-on', note: 60, velocity: 0.8, at: EARLIEST }, { op: 'rewind', from: Math.floor(EARLIEST / BLOCK) }]);
  assert.equal(Math.floor(EARLIEST / BLOCK), SAFE_FROM - 1, 'a block earlier than a change of the parameters');
}));

test('a timed key\'s rewind spliced in before its sample is no late rewind, and its latency is to its sample', () => atOneMoment(() => {
  const { link, socket, ring } = rewindingLink();
  link.command({ type: 'send', message: { op: 'note-on', note: 69, velocity: 1 }, sentAt: clock() });
  socket.receive(JSON.stringify({ op: 'notes', version: 2 }));   // the server's word that the key is in (version 2)
  const from = Math.floor(EARLIEST / BLOCK);
  for (let s = from; s < 20; s++) socket.receive(blockMessage(s, 2));
  const rewound = ring.messages.find((m) => m.type === 'rewound');
  assert.equal(rewound.at, from * BLOCK);
  assert.equal(rewound.changeAt, EARLIEST, 'the ring is told the first sample the rewind changes');
  // Heard from the key's sample: what is queued in front of it, at this frozen moment (the key's own way is 0 ms).
  const [latency] = link.stats().latenciesMs;
  assert.ok(Math.abs(latency - (EARLIEST - 4 * BLOCK) / RATE * 1000) < 1e-9, `latency ${latency} ms`);
}));

test('a rewind\'s blocks replace what the ring holds at their place and count as no delivery', () => atOneMoment(() => {
  const { link, socket, ring } = rewindingLink();
  const grantedBefore = credits(socket);
  socket.receive(JSON.stringify({ op: 'params', version: 2, gain: 1, components: [] }));
  for (let s = SAFE_FROM; s < 20; s++) socket.receive(blockMessage(s, 2));
  const start = ring.messages.findIndex((m) => m.type === 'rewound');
  const rewound = ring.messages[start];
  assert.equal(rewound.at, SAFE_FROM * BLOCK);
  assert.deepEqual(rewound.blocks.map((b) => b[0]), [0, 1, 2, 3].map((i) => SAFE_FROM + i), 'its first four together');
  const rest = ring.messages.slice(start + 1).filter((m) => m.type === 'block');
  assert.deepEqual(rest.map((m) => m.at), rest.map((_, i) => (SAFE_FROM + 4 + i) * BLOCK), 'each with its place');
  assert.deepEqual(rest.map((m) => m.samples[0]), Array.from({ length: 20 - SAFE_FROM - 4 }, (_, i) => SAFE_FROM + 4 + i), 'then the rest, in order');
  assert.equal(link.stats().blocksReceived, 20);
  assert.equal(link.queued(), 16 * BLOCK, 'what is queued is as much as before');
  assert.equal(credits(socket), grantedBefore);
  socket.receive(blockMessage(20, 2));
  assert.equal(ring.messages.at(-1).type, 'block', 'the stream goes on after them');
  assert.equal(link.stats().blocksReceived, 21);
}));

test('one rewind at a time: a change meanwhile is asked for after it, unless its blocks already carry it', () => atOneMoment(() => {
  const { socket } = rewindingLink();
  socket.receive(JSON.stringify({ op: 'params', version: 2, gain: 1, components: [] }));
  socket.receive(JSON.stringify({ op: 'params', version: 3, gain: 1, components: [] }));
  assert.equal(messages(socket, 'rewind').length, 1);
  for (let s = SAFE_FROM; s < 20; s++) socket.receive(blockMessage(s, 2));
  assert.equal(messages(socket, 'rewind').length, 2, 'version 3 came after the first rewind was asked for');

  socket.receive(JSON.stringify({ op: 'params', version: 4, gain: 1, components: [] }));
  const from = JSON.parse(messages(socket, 'rewind')[1]).from;
  for (let s = from; s < 20; s++) socket.receive(blockMessage(s, 4));   // rendered after version 4 had come
  assert.equal(messages(socket, 'rewind').length, 2, 'its blocks carry version 4 already');
}));

test('the player\'s own set asks for a rewind behind it, and the change is heard ahead of the cushion', () => atOneMoment(() => {
  const { link, socket } = rewindingLink();
  link.command({ type: 'send', message: { op: 'set', component: 0, frequency: 300 }, sentAt: clock() });
  const sent = socket.sent.slice(-2).map((m) => JSON.parse(m).op);
  assert.deepEqual(sent, ['set', 'rewind']);
  socket.receive(JSON.stringify({ op: 'params', version: 2, gain: 1, components: [] }));
  for (let s = SAFE_FROM; s < 20; s++) socket.receive(blockMessage(s, 2));
  assert.equal(messages(socket, 'rewind').length, 1, 'the broadcast of its own set needs no second one');
  const [heard] = link.stats().latenciesMs;
  const queuedMs = 16 * BLOCK / RATE * 1000;
  assert.ok(heard < queuedMs / 2, `heard after ${heard} ms with ${queuedMs} ms queued`);
  assert.ok(heard >= (SAFE_FROM - 4) * BLOCK / RATE * 1000, `heard after ${heard} ms: the audio in front of the change counts`);
}));

test('without a history offered in the welcome, a change sends no rewind', () => {
  const { socket } = connectedLink(2);
  for (let s = 0; s < 20; s++) socket.receive(blockMessage(s, 1));
  socket.receive(JSON.stringify({ op: 'params', version: 2, gain: 1, components: [] }));
  assert.equal(messages(socket, 'rewind').length, 0);
});

test('where the server rewinds, the cushion keeps the rewound floor, and says why; elsewhere the thin one', () => {
  const rewound = connectedLink(2, { rewindBlocks: 94 }, { rewoundFloorMs: 200 }).link;
  assert.equal(rewound.cushion.floorMs, 200);
  assert.equal(rewound.stats().cushionWhy, 'changes are heard ahead of it');
  const plain = connectedLink(2, {}, { rewoundFloorMs: 200 }).link;
  assert.equal(plain.cushion.floorMs, 24);
});

test('a late rewind\'s first blocks wait until they reach past the playing position, so the ring is never left short', () => atOneMoment(() => {
  const { link, socket, ring } = rewindingLink();
  socket.receive(JSON.stringify({ op: 'params', version: 2, gain: 1, components: [] }));
  // Meanwhile the ring played on to block 14: the rewind's first four blocks (7–10) are behind it when they come.
  link.onRingReport(report(14 * BLOCK, 20 * BLOCK));
  for (let s = SAFE_FROM; s < 20; s++) socket.receive(blockMessage(s, 2));
  const rewound = ring.messages.find((m) => m.type === 'rewound');
  const end = (SAFE_FROM + rewound.blocks.length) * BLOCK;
  assert.ok(end >= 14 * BLOCK + 10 / 1000 * RATE + BLOCK, `the first ${rewound.blocks.length} went together, to ${end}`);
  assert.ok(rewound.blocks.length < 20 - SAFE_FROM, 'and not the whole rewind: it reached far enough before its end');
}));
