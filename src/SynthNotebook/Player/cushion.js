// The jitter cushion: how much audio the player keeps queued ahead of the speakers (targetMs), and the least it may
// thin to (floorMs). Pure policy, driven by the ring's reports and a clock passed in, so it can be tested alone.
//
// Synth mode: a connection starts thick (a just-compiled server, a cold socket), thins to the floor once it plays
// calmly, and grows when the ring underruns. The floor also covers the slowest delivery seen lately: the audio device
// takes a callback's worth of samples at once (callbackMs) and the link credits what was taken, so right after a
// callback the ring holds the cushion less that callback, and that must outlast a block that is slow to come by a
// render quantum (the ring's report cadence): floor ≥ callbackMs + delivery + a quantum. With headless Chromium's
// 10 ms callbacks, deliveries under 11 ms fit the default 24 ms; a machine whose deliveries stall for 19 ms (one
// core busy) gets 32 ms before the next such stall. The slowest delivery fades with a half-life, so the floor comes
// back down once the machine is calm; deliveries before the start-up cushion first thins to the floor do not count
// (they are the start-up's: a just-compiled server, a page still loading, and they kept the floor up for a minute).
// (Raising the floor on near misses, seconds in which the ring fell to a render quantum, was tried first: under load
// the underruns came without warning; benchmarks/README.md.)
// An underrun raises the floor, and when the block that ends it comes, the ring says how long it was dry: the floor
// grows at once to what would have held (the target the underrun hit, plus that). What underruns added halves every
// calm minute, so a busy spell is paid for while it lasts. (A forgetting histogram's p99–p99.9 in place of the fading
// slowest delivery did worse on the recorded traces of tests/player/traces; benchmarks/README.md.)
//
// Where the server rewinds (rewinder.js), a change is heard ahead of the cushion, so its floor is the player's
// RewoundCushionMs (200 ms), thick enough for a busy machine's stalls, instead of the thin one a latency needs.
//
// Duplex mode: audio arrives at the microphone's pace, so the ring holds whatever it held when it started: the
// cushion starts at the floor, underruns while starting up refill it without raising it, and a later one raises it
// by a block. The ring itself trims a standing backlog (sample-ring.js).

const CUSHION_MAX_MS = 400;
const CUSHION_WARMUP_MS = 200;
const CUSHION_SETTLE_AFTER_MS = 1500;       // thinning starts after this long without an underrun,
const CUSHION_SETTLE_MS_PER_S = 30;         // at this rate.
const CUSHION_DELIVERY_HALF_LIFE_MS = 30_000;
const CUSHION_UNDERRUN_HALF_LIFE_MS = 60_000;  // what underruns added to the floor halves after this long without one
const CUSHION_DUPLEX_WARMUP_MS = 1000;
const CUSHION_TRIM_WINDOW_S = 0.5;          // duplex: how long the low-water mark must stay high before it is a backlog,
const CUSHION_TRIM_HYSTERESIS = 128;        // and how far (a render quantum) above the cushion it may stay.

export class Cushion {
  // floorMs: the least it may thin to (the player's option, raised by underruns); callbackMs: how much the audio
  // device takes at once.
  // rewinds: whether the server renders queued blocks again on a change (the status line says so).
  constructor({ floorMs, callbackMs, sampleRate, blockSize, duplex, rewinds = false }, now) {
    this.rewinds = rewinds;
    this.raisedFloorMs = floorMs;  // the floor as the last underrun left it; it fades back to the option's from there
    this.raisedAt = now;
    this.callbackMs = callbackMs;
    this.sampleRate = sampleRate;
    this.blockSize = blockSize;
    this.duplex = duplex;
    this.deliveryMs = 0;         // the slowest delivery lately, as it was at deliveryAt; it fades from there
    this.deliveryAt = now;
    this.now = now;              // the clock at the last report or delivery
    this.settled = duplex;       // whether the target has come down to the floor since the start
    this.targetMs = duplex ? floorMs : Math.max(floorMs, CUSHION_WARMUP_MS);
    this.optionFloorMs = floorMs;
    this.underruns = 0;          // underruns that raised the floor
    this.targetBeforeUnderrun = this.targetMs;
    this.startedAt = this.calmSince = this.lastSettle = now;
  }

  // Why the cushion is as thick as it is, in plain words (the status line).
  get why() {
    if (this.targetMs > this.floorMs + 0.5) return this.settled ? 'thinning after an underrun' : 'starting thick';
    if (this.deliveryFloorMs > this.underrunFloorMs) return `held up for ${this.fadedDeliveryMs(this.now).toFixed(0)} ms deliveries`;
    if (this.underrunFloorMs > this.optionFloorMs + 0.5) return `raised by ${this.underruns} underrun${this.underruns === 1 ? '' : 's'}`;
    return this.rewinds ? 'changes are heard ahead of it' : 'at its floor';
  }

  // The floor underruns raised, faded by now: a busy spell raises it at once, a calm one lets it come back down.
  get underrunFloorMs() {
    if (this.duplex) return this.raisedFloorMs;
    const added = this.raisedFloorMs - this.optionFloorMs;
    return this.optionFloorMs + added * Math.pow(0.5, (this.now - this.raisedAt) / CUSHION_UNDERRUN_HALF_LIFE_MS);
  }

  raiseFloor(ms, now) {
    this.raisedFloorMs = Math.min(CUSHION_MAX_MS, ms);
    this.raisedAt = now;
  }

  get targetSamples() { return this.targetMs / 1000 * this.sampleRate; }

  get floorMs() { return Math.max(this.underrunFloorMs, this.deliveryFloorMs); }

  get deliveryFloorMs() {
    if (this.deliveryMs === 0) return 0;
    return Math.min(CUSHION_MAX_MS, this.callbackMs + this.fadedDeliveryMs(this.now) + 128 / this.sampleRate * 1000);
  }

  // The slowest delivery lately, as it has faded by `now`.
  fadedDeliveryMs(now) {
    return this.deliveryMs * Math.pow(0.5, (now - this.deliveryAt) / CUSHION_DELIVERY_HALF_LIFE_MS);
  }

  // One credited block arrived delayMs after the link asked for it (synth mode, while playing). Returns true when the
  // ring's settings changed.
  observeDelivery(delayMs, now) {
    this.now = now;
    if (!this.settled) return false;
    if (delayMs >= this.fadedDeliveryMs(now)) {
      this.deliveryMs = delayMs;
      this.deliveryAt = now;
    }
    if (this.targetMs >= this.floorMs) return false;
    this.targetMs = this.floorMs;
    return true;
  }

  // One report of the ring (sample-ring.js): whether it underran since the last. Returns true when the ring's own
  // settings (ringSettings) changed.
  observe(underran, now) {
    this.now = now;
    let changed = false;
    if (underran) changed = this.onUnderrun(now);
    else this.settle(now);
    this.lastSettle = now;
    return changed;
  }

  onUnderrun(now) {
    if (this.duplex) {
      if (now - this.startedAt <= CUSHION_DUPLEX_WARMUP_MS) return false;
      this.targetMs = Math.min(CUSHION_MAX_MS, this.targetMs + this.blockSize / this.sampleRate * 1000);
      this.raiseFloor(this.targetMs, now);
      this.underruns++;
      return true;
    }
    // Too thin for this machine: grow, and never thin that far again. (The late block's own delivery raises the
    // delivery floor for a while; what stays is raised from the floor without it, or one slow spell would have
    // multiplied itself into the floor for good: 24 → 32.8 → 43 ms in a benchmark run.)
    this.targetBeforeUnderrun = this.targetMs;
    this.raiseFloor(this.underrunFloorMs * 1.25 + 2, now);
    this.targetMs = Math.min(CUSHION_MAX_MS, this.targetMs * 1.5 + 5);
    this.underruns++;
    this.calmSince = now;
    return true;
  }

  // The block that ended an underrun came after the ring had been dry for lateByMs: a cushion that much thicker would
  // have held. Grow to that at once (synth mode; a duplex ring's level is the microphone's pace, not the cushion's).
  observeLate(lateByMs, now) {
    this.now = now;
    if (this.duplex || !this.settled) return false;
    const needed = this.targetBeforeUnderrun + lateByMs + 128 / this.sampleRate * 1000;
    if (needed <= this.raisedFloorMs) return false;
    this.raiseFloor(needed, now);
    this.targetMs = Math.max(this.targetMs, this.floorMs);
    return true;
  }

  settle(now) {
    if (this.targetMs > this.floorMs && now - this.calmSince > CUSHION_SETTLE_AFTER_MS) {
      this.targetMs = Math.max(this.floorMs, this.targetMs - CUSHION_SETTLE_MS_PER_S * (now - this.lastSettle) / 1000);
    }
    if (this.targetMs <= this.floorMs) this.settled = true;
  }

  // What the ring needs: when to (re)start playing, and in duplex mode when a level is a backlog to trim. Trimming
  // lower (to ½ or ¾ of the cushion) cut the round trip by 7–13 ms but underran about once in 30 s
  // (benchmarks/README.md).
  ringSettings() {
    const startSamples = Math.round(this.targetSamples);
    if (!this.duplex) return { type: 'configure', startSamples, maxSamples: Infinity, trimWindow: Infinity, trimTo: startSamples };
    return {
      type: 'configure', startSamples, maxSamples: startSamples + CUSHION_TRIM_HYSTERESIS,
      trimWindow: Math.round(CUSHION_TRIM_WINDOW_S * this.sampleRate), trimTo: startSamples,
    };
  }
}
