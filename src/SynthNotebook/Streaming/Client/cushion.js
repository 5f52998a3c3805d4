// The jitter cushion: how much audio the player keeps queued ahead of the speakers (targetMs), and the least it may
// thin to (floorMs). Pure policy, driven by the ring's reports and a clock passed in, so it can be tested alone.
//
// Synth mode: a connection starts thick (a just-compiled server, a cold socket), thins to the floor once it plays
// calmly, and grows when the ring underruns. (Raising the floor on near misses, seconds in which the ring fell to a
// render quantum, was tried: under load the underruns came without warning, as many as before, and latency rose;
// benchmarks/README.md.)
//
// Duplex mode: audio arrives at the microphone's pace, so the ring holds whatever it held when it started: the
// cushion starts at the floor, underruns while starting up refill it without raising it, and a later one raises it
// by a block. The ring itself trims a standing backlog (sample-ring.js).

const CUSHION_MAX_MS = 400;
const CUSHION_WARMUP_MS = 200;
const CUSHION_SETTLE_AFTER_MS = 1500;       // thinning starts after this long without an underrun,
const CUSHION_SETTLE_MS_PER_S = 30;         // at this rate.
const CUSHION_DUPLEX_WARMUP_MS = 1000;
const CUSHION_TRIM_WINDOW_S = 0.5;          // duplex: how long the low-water mark must stay high before it is a backlog,
const CUSHION_TRIM_HYSTERESIS = 128;        // and how far (a render quantum) above the cushion it may stay.

class Cushion {
  constructor(floorMs, sampleRate, blockSize, duplex, now) {
    this.floorMs = floorMs;
    this.sampleRate = sampleRate;
    this.blockSize = blockSize;
    this.duplex = duplex;
    this.targetMs = duplex ? floorMs : Math.max(floorMs, CUSHION_WARMUP_MS);
    this.startedAt = this.calmSince = this.lastSettle = now;
  }

  get targetSamples() { return this.targetMs / 1000 * this.sampleRate; }

  // One report of the ring (sample-ring.js): whether it underran since the last. Returns true when the ring's own
  // settings (ringSettings) changed.
  observe(underran, now) {
    let changed = false;
    if (underran) changed = this.onUnderrun(now);
    else this.settle(now);
    this.lastSettle = now;
    return changed;
  }

  onUnderrun(now) {
    if (this.duplex) {
      if (now - this.startedAt <= CUSHION_DUPLEX_WARMUP_MS) return false;
      this.floorMs = this.targetMs = Math.min(CUSHION_MAX_MS, this.targetMs + this.blockSize / this.sampleRate * 1000);
      return true;
    }
    // Too thin for this machine: grow, and never thin that far again.
    this.floorMs = Math.min(CUSHION_MAX_MS, this.floorMs * 1.25 + 2);
    this.targetMs = Math.min(CUSHION_MAX_MS, this.targetMs * 1.5 + 5);
    this.calmSince = now;
    return true;
  }

  settle(now) {
    if (this.targetMs > this.floorMs && now - this.calmSince > CUSHION_SETTLE_AFTER_MS) {
      this.targetMs = Math.max(this.floorMs, this.targetMs - CUSHION_SETTLE_MS_PER_S * (now - this.lastSettle) / 1000);
    }
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
