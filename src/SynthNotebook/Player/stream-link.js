// The network half of the player: the socket, the credits and the cushion. It lives beside the audio ring, not on
// the page: in a dedicated Worker (stream-worker.js) where one can be made, so a busy page (a notebook re-rendering
// its outputs, a second player starting) cannot starve the ring; on the page itself otherwise. It talks to the ring
// over a MessagePort and to the widget with plain messages (docs/protocol.md, "The browser player"). In duplex mode it
// also takes the microphone's blocks from the mic worklet, sends them upstream, and measures each one's round trip.

import { Cushion } from './cushion.js';
import { PaceKeeper, paceFor } from './pace-keeper.js';
import { Rewinder } from './rewinder.js';

const LINK_PROTOCOL_VERSION = 1;
const LINK_HEADER_BYTES = 16;
const STATS_EVERY_MS = 100;
const LATENCY_WINDOW = 64;
const ROUND_TRIP_WINDOW = 256;
const MAX_UNANSWERED = 512;             // microphone blocks remembered while their processed twin is on its way
const REWIND_FIRST = 4;                 // a rewind's blocks the ring takes at once: 21 ms at 256 samples, 48 kHz
const TRACE_LENGTH = 16384;             // deliveries kept for a trace (about 87 s of 256-sample blocks at 48 kHz)

// How many blocks to ask for at once. Every credit is a wake-up of the server and a message each way, and at
// 256-sample blocks that was most of what a listener cost the server (benchmarks/README.md, "What listening costs");
// credits in batches wake it a batch's worth less often. A batch is asked for when the cushion falls below its
// target, so it only ever adds to what is queued: never less than the cushion, at most a batch minus a block more.
// It is a quarter of the cushion (at least one block, at most MAX_CREDIT_BATCH): a thin, quiet cushion stays thin.
const MAX_CREDIT_BATCH = 4;
export const creditBatch = (targetSamples, blockSize) =>
  Math.max(1, Math.min(MAX_CREDIT_BATCH, Math.floor(targetSamples / blockSize / 4)));

// One clock for the page and the worker (each has its own performance.now() origin).
export const clockMs = () => performance.timeOrigin + performance.now();

export class StreamLink {
  constructor(post) {
    this.post = post;            // to the widget
    this.ring = null;            // MessagePort to the ring
    this.socket = null;
    this.optionFloorMs = 0;      // set by connect (PlayerOptions.TargetLatencyMs or DuplexLatencyMs)
    this.callbackMs = 0;         // set by connect: how much the audio device takes at once
    this.credited = [];          // per block asked for and not yet received: when, or null when not to be timed
    this.cushion = null;         // made at each welcome (cushion.js)
    this.keeper = null;          // a paced connection's level (pace-keeper.js), made at a welcome that names a pace
    this.owed = 0;               // blocks credited on a paced connection that have not come yet
    this.rewinder = null;        // when to have queued blocks rendered again (rewinder.js), at a welcome that offers it
    this.streamStart = 0;        // the ring position of the connection's block 0
    this.rewound = null;         // a rewind's blocks so far, until its last: { at, blocks, buffers }
    this.reportAt = 0;           // when the ring's newest report came
    this.granted = 0;
    this.received = 0;
    this.pushed = 0;             // samples ever handed to the ring
    this.report = { offered: 0, consumed: 0, buffered: 0, underruns: 0, concealed: 0, late: 0, overflows: 0 };
    this.stalled = null;         // while a stall holds deliveries: what arrived meanwhile
    this.deliveries = new Float64Array(2 * TRACE_LENGTH);   // [when, delay] of the newest timed deliveries, a ring
    this.delivered = 0;
    this.pendingChange = null;   // { sentAt, version, at } of the newest slider move or key not yet heard (`at`: a key's sample)
    this.latencies = [];
    this.changesHeard = 0;
    this.lastStats = 0;
    this.duplex = false;
    this.mic = null;             // MessagePort from the mic worklet
    this.upstreamSequence = 0;
    this.captureFrames = new Map();  // sequence → audio frame of the block's first microphone sample
    this.plays = [];             // { position, captureFrame } of processed blocks queued in the ring
    this.roundTrips = [];
    this.lateSplices = [];       // [stream position the fade began at, the rewind's first sample] of late rewinds
  }

  command(message) {
    switch (message.type) {
      case 'attach':
        this.ring = message.port;
        this.ring.onmessage = (event) => this.onRingReport(event.data);
        break;
      case 'attachMic':
        this.mic = message.port;
        this.mic.onmessage = (event) => this.sendUpstream(event.data);
        break;
      case 'connect': this.connect(message); break;
      case 'send': this.send(message.message, message.sentAt); break;
      case 'stall': this.stall(message.ms); break;
      case 'trace': this.post({ type: 'trace', trace: this.trace() }); break;
      case 'close': this.close(); break;
    }
  }

  connect({ url, token, sampleRate, blockSize, maxPace, floorMs, rewoundFloorMs = 0, callbackMs, mode }) {
    this.sampleRate = sampleRate;
    this.optionFloorMs = floorMs;
    this.rewoundFloorMs = rewoundFloorMs;
    this.callbackMs = callbackMs;
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    // A synth stream asks to be paced by the server's clock; a server that does not pace answers credits alone.
    // It asks for a history to rewind, so a change is heard ahead of the cushion (rewinder.js).
    const pace = mode === 'duplex' || !maxPace ? {} : { pace: paceFor(blockSize, sampleRate, maxPace) };
    const rewind = mode === 'duplex' ? {} : { rewind: true };
    socket.onopen = () => socket.send(JSON.stringify({ op: 'hello', version: LINK_PROTOCOL_VERSION, token, sampleRate, blockSize, mode, ...pace, ...rewind }));
    socket.onmessage = (event) => {
      if (this.stalled) this.stalled.push(event.data);
      else this.onMessage(event.data);
    };
    socket.onclose = (event) => {
      this.connected = false;
      this.socket = null;
      this.ring.postMessage({ type: 'pause' });
      this.post({ type: 'closed', code: event.code, reason: event.reason });
    };
  }

  onMessage(data) {
    if (typeof data === 'string') this.onText(JSON.parse(data));
    else this.onBlock(data);
  }

  // A network stall on demand (tests, and users who want to hear concealment): for `ms`, what arrives is held, then
  // taken in order, as if it had arrived late.
  stall(ms) {
    if (this.stalled) return;
    this.stalled = [];
    setTimeout(() => {
      const held = this.stalled;
      this.stalled = null;
      for (const data of held) this.onMessage(data);
    }, ms);
  }

  send(message, sentAt) {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    const timed = sentAt !== undefined && !this.pendingChange;   // this change is the one whose latency is measured
    if (timed) this.pendingChange = { sentAt };
    // A key is timed to the first sample a rewind can still change (the server plays it there, not on a block's
    // first sample), and the rewind asked for from the block that holds it.
    const key = message.op === 'note-on' || message.op === 'note-off';
    const at = key && this.rewinder && this.connected ? this.rewinder.earliest(this.playingHead(clockMs()) - this.streamStart) : undefined;
    if (timed && at !== undefined) this.pendingChange.at = at;
    this.socket.send(JSON.stringify(at === undefined ? message : { ...message, at }));
    if (message.op === 'set' || key) this.rewind(undefined, at);
  }

  // The parameters changed (to `version`, or by this player's own set or key, `at` the sample the key was timed to):
  // the queued blocks from just ahead of the playing position are asked for again, rendered with the change.
  rewind(version, at) {
    if (!this.rewinder || !this.connected || this.socket?.readyState !== WebSocket.OPEN) return;
    const now = clockMs();
    const message = this.rewinder.changed(version, this.playingHead(now) - this.streamStart, now, at);
    if (message) this.socket.send(JSON.stringify(message));
  }

  // The ring position playing now, as the ring's last report and the time since it say.
  playingHead(now) {
    const sincePlayed = this.report.playing ? (now - this.reportAt) / 1000 * this.sampleRate : 0;
    return this.report.offered - this.report.buffered + sincePlayed;
  }

  close() {
    if (this.socket) this.socket.close(1000, 'stopped');
    else this.post({ type: 'closed', code: 1000, reason: 'stopped' });
  }

  onText(message) {
    switch (message.op) {
      case 'welcome':
        this.connected = true;
        this.duplex = message.mode === 'duplex';
        this.blockSize = message.blockSize;
        this.maxCredits = message.maxCredits;
        this.granted = this.received = 0;
        this.credited = [];
        this.captureFrames.clear();
        this.plays = [];
        // Where the server rewinds, a change is heard ahead of the cushion: it can be as thick as the machine's
        // stalls need (PlayerOptions.RewoundCushionMs).
        const rewinds = message.rewindBlocks > 0;
        this.cushion = new Cushion({
          floorMs: rewinds ? Math.max(this.optionFloorMs, this.rewoundFloorMs) : this.optionFloorMs,
          callbackMs: this.callbackMs, sampleRate: this.sampleRate, blockSize: this.blockSize, duplex: this.duplex, rewinds,
        }, clockMs());
        this.owed = 0;
        this.keeper = message.pace > 0 ? new PaceKeeper({
          pace: message.pace, blockSize: this.blockSize, sampleRate: this.sampleRate, callbackMs: this.callbackMs,
          maxBlocks: this.maxCredits,
        }, clockMs()) : null;
        this.streamStart = this.pushed;
        this.rewound = null;
        this.lateSplices = [];
        this.rewinder = rewinds ? new Rewinder({
          blockSize: this.blockSize, sampleRate: this.sampleRate, callbackMs: this.callbackMs, reachBlocks: message.rewindBlocks,
        }) : null;
        this.ring.postMessage({ type: 'resume' });
        this.ring.postMessage(this.cushion.ringSettings());
        this.requestBlocks();
        break;
      case 'params':
      case 'notes':    // the instrument was played (here, on another page, or from the kernel)
        if (this.pendingChange && this.pendingChange.version === undefined) this.pendingChange.version = message.version;
        this.rewind(message.version);
        break;
      case 'rewind-skipped':   // a source of the user's without checkpoints: its changes come with the stream
        this.rewinder?.skipped();
        break;
      case 'source':   // another patch plays: heard like a parameter change; a failure is silence already rendered
        if (message.error === undefined) this.rewind(message.version);
        break;
    }
    this.post({ type: 'text', message });
  }

  // One microphone block upstream: the protocol's 16-byte header (sequence, reserved, count), then the samples.
  sendUpstream({ samples, frame }) {
    if (!this.connected || !this.duplex || this.socket?.readyState !== WebSocket.OPEN) return;
    const buffer = new ArrayBuffer(LINK_HEADER_BYTES + samples.length * 4);
    const header = new DataView(buffer, 0, LINK_HEADER_BYTES);
    header.setBigUint64(0, BigInt(this.upstreamSequence), true);
    header.setUint32(12, samples.length, true);
    new Float32Array(buffer, LINK_HEADER_BYTES).set(samples);
    this.captureFrames.set(this.upstreamSequence++, frame);
    if (this.captureFrames.size > MAX_UNANSWERED) this.captureFrames.delete(this.captureFrames.keys().next().value);
    this.socket.send(buffer);
  }

  onBlock(buffer) {
    const header = new DataView(buffer, 0, LINK_HEADER_BYTES);
    const sequence = Number(header.getBigUint64(0, true));
    if (this.duplex) {
      const captureFrame = this.captureFrames.get(sequence);
      this.captureFrames.delete(sequence);
      if (captureFrame !== undefined) this.plays.push({ position: this.pushed, captureFrame });
    }
    const version = header.getUint32(8, true);
    const count = header.getUint32(12, true);
    const samples = new Float32Array(buffer, LINK_HEADER_BYTES, count);
    // A rewind's block replaces one the ring holds: not a delivery, and it moves nothing the credits count.
    const now = clockMs();
    const replaces = this.rewinder?.arrived(sequence, version, now) ?? false;
    const at = replaces ? this.streamStart + sequence * this.blockSize : this.pushed;
    if (!replaces) this.countDelivery(now);
    const change = this.pendingChange;
    // (While a rewind is on its way, a new block carrying the change is not what is heard first: the rewind's is.)
    if (change && change.version !== undefined && version >= change.version && (replaces || !this.rewinder?.waiting)) {
      // Heard after: the time until this block arrived, plus the audio queued in front of it (of a timed key, in front
      // of its sample).
      const heardFrom = change.at === undefined ? at : Math.max(at, this.streamStart + change.at);
      const inFront = Math.max(0, this.queued() - (this.pushed - heardFrom));   // (what is queued ends at `pushed`)
      this.latencies.push(now - change.sentAt + inFront / this.sampleRate * 1000);
      if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
      this.changesHeard++;
      this.pendingChange = null;
    }
    this.pushed = Math.max(this.pushed, at + count);
    if (replaces) this.replace(at, samples, buffer, now);
    else this.ring.postMessage({ type: 'block', samples }, [buffer]);
    this.requestBlocks();
  }

  // A rewind's first blocks go to the ring together: the ring replaces what it held from there with them in one step,
  // and then holds the new stream alone, so the rest of the rewind (it comes far faster than it plays) follows block
  // by block. They go once they are REWIND_FIRST and reach a device callback and a block past the playing position
  // (a late rewind waits for more), or once the rewind is all there: the ring is never left too short to play on
  // while the rest is on its way. (Waiting for the whole of a thick cushion's rewind took 5–34 ms.)
  replace(at, samples, buffer, now) {
    if (this.rewound === null) this.rewound = { at, blocks: [], buffers: [] };
    if (this.rewound.posted) {
      // With its place: one the ring has already played past (a rewind that came late) is skipped, not appended.
      this.ring.postMessage({ type: 'block', samples, at }, [buffer]);
    } else {
      this.rewound.blocks.push(samples);
      this.rewound.buffers.push(buffer);
      const end = this.rewound.at + this.rewound.blocks.length * this.blockSize;
      const enough = this.rewound.blocks.length >= REWIND_FIRST
        && end - this.playingHead(now) >= (this.callbackMs / 1000 * this.sampleRate) + this.blockSize;
      if (enough || !this.rewinder.waiting) {
        this.ring.postMessage({ type: 'rewound', at: this.rewound.at, changeAt: Math.max(this.rewound.at, this.streamStart + this.rewinder.changeAt), blocks: this.rewound.blocks }, this.rewound.buffers);
        this.rewound.posted = true;
      }
    }
    if (this.rewinder.waiting) return;
    this.rewound = null;
    if (this.rewinder.pending) this.rewind(this.rewinder.wanted);
  }

  // A block of the stream came (not a rewind's): credits and the pace's level follow, and its wait is timed.
  countDelivery(now) {
    this.received++;
    if (this.keeper) {
      if (this.owed > 0) this.owed--;
      const waitMs = this.keeper.arrived(now, !!this.report.playing);
      if (waitMs !== null) {
        this.record(now, waitMs);
        if (this.cushion.observeDelivery(waitMs, now)) this.ring.postMessage(this.cushion.ringSettings());
      }
      return;
    }
    const creditedAt = this.credited.shift();
    if (creditedAt != null) {
      this.record(now, now - creditedAt);
      if (this.cushion.observeDelivery(now - creditedAt, now)) this.ring.postMessage(this.cushion.ringSettings());
    }
  }

  onRingReport(report) {
    const now = clockMs();
    // A processed block has played once the ring consumed past its first sample: the sample at ring position p left
    // the worklet at frame frameEnd − (consumed − p). Minus its capture frame, that is the microphone's round trip.
    while (this.plays.length > 0 && this.plays[0].position < report.consumed && report.frameEnd !== undefined) {
      const { position, captureFrame } = this.plays.shift();
      if (position < report.skippedUpTo) continue;   // skipped, never played
      const playedFrame = report.frameEnd - (report.consumed - position);
      this.roundTrips.push((playedFrame - captureFrame) / this.sampleRate * 1000);
      if (this.roundTrips.length > ROUND_TRIP_WINDOW) this.roundTrips.shift();
    }
    if (this.connected) {
      let changed = this.cushion.observe(report.underruns > this.report.underruns, now);
      if (report.late > this.report.late) changed = this.cushion.observeLate(report.lateBy / this.sampleRate * 1000, now) || changed;
      if (changed) this.ring.postMessage(this.cushion.ringSettings());
    }
    if (report.replacedLate > (this.report.replacedLate ?? 0)) {
      this.lateSplices.push([report.splicedAt - this.streamStart, report.splicedFrom - this.streamStart]);
      if (this.lateSplices.length > LATENCY_WINDOW) this.lateSplices.shift();
    }
    this.report = report;
    this.reportAt = now;
    this.requestBlocks();
    if (now - this.lastStats > STATS_EVERY_MS) {
      this.lastStats = now;
      this.post({ type: 'stats', stats: this.stats() });
    }
  }

  stats() {
    return {
      connected: !!this.connected,
      blockSize: this.blockSize,
      bufferedMs: this.sampleRate ? this.queued() / this.sampleRate * 1000 : 0,
      targetMs: this.cushion?.targetMs ?? 0,
      cushionWhy: this.cushion?.why ?? '',
      floorMs: this.cushion?.floorMs ?? this.optionFloorMs,
      underruns: this.report.underruns,
      concealed: this.report.concealed,
      played: this.report.consumed,   // stream samples played since the connection's start (silences not counted)
      largestStep: this.report.largestStep ?? 0,
      largestStreamStep: this.report.largestStreamStep ?? 0,
      late: this.report.late,
      overflows: this.report.overflows,
      skipped: this.report.skipped ?? 0,
      blocksReceived: this.received,
      latenciesMs: [...this.latencies],
      changesHeard: this.changesHeard,
      mode: this.duplex ? 'duplex' : 'synth',
      pace: this.keeper?.pace ?? 0,
      paceExtras: this.keeper?.extras ?? 0,
      paceHolds: this.keeper?.holds ?? 0,
      rewinds: this.rewinder?.rewinds ?? 0,
      rewindLog: (this.rewinder?.log ?? []).map((entry) => [...entry]),
      rewindLeadMs: this.rewinder?.leadMs ?? 0,
      rewindRoundTripsMs: [...(this.rewinder?.roundTrips ?? [])],
      rewindsLate: this.report.replacedLate ?? 0,
      lateSplices: this.lateSplices.map((splice) => [...splice]),
      upstreamBlocks: this.upstreamSequence,
      roundTripMs: [...this.roundTrips],
    };
  }

  record(now, delayMs) {
    const at = 2 * (this.delivered++ % TRACE_LENGTH);
    this.deliveries[at] = now;
    this.deliveries[at + 1] = delayMs;
  }

  // The timed deliveries kept, oldest first, as [ms since the first, delay ms]: what a machine's network and
  // scheduling did, for the cushion's tests (tests/player/traces) and for anyone tuning it.
  trace() {
    const count = Math.min(this.delivered, TRACE_LENGTH);
    const first = this.delivered - count;
    const trace = [];
    for (let i = first; i < this.delivered; i++) {
      const at = 2 * (i % TRACE_LENGTH);
      trace.push([this.deliveries[at], this.deliveries[at + 1]]);
    }
    const origin = trace.length > 0 ? trace[0][0] : 0;
    return trace.map(([when, delay]) => [Math.round((when - origin) * 100) / 100, Math.round(delay * 100) / 100]);
  }

  inFlight() { return this.granted - this.received; }

  // Samples waiting to be played: in the ring at its last report, plus those posted to it since.
  queued() { return this.report.buffered + (this.pushed - this.report.offered); }

  requestBlocks() {
    if (!this.connected || this.duplex || this.socket?.readyState !== WebSocket.OPEN) return;
    const target = this.cushion.targetSamples;
    if (this.keeper) {
      const action = this.keeper.steer(this.queued(), this.owed, target, clockMs());
      if (action?.op === 'credit') {
        this.owed += action.blocks;
        this.granted += action.blocks;
      }
      if (action) this.socket.send(JSON.stringify(action));
      return;
    }
    const ahead = this.queued() + this.inFlight() * this.blockSize;
    const wanted = Math.ceil((target - ahead) / this.blockSize);
    if (wanted <= 0) return;
    const blocks = Math.min(Math.max(wanted, creditBatch(target, this.blockSize)), this.maxCredits - this.inFlight());
    if (blocks > 0) {
      this.granted += blocks;
      // Delivery is timed only while the ring plays (not the first credits of a connection, nor a refill).
      const at = this.report.playing ? clockMs() : null;
      for (let i = 0; i < blocks; i++) this.credited.push(at);
      this.socket.send(JSON.stringify({ op: 'credit', blocks }));
    }
  }
}
