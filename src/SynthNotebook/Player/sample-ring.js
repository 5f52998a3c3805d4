// A ring of float samples between the network and the audio clock, shared by the AudioWorklet processor and the
// ScriptProcessorNode fallback. Preallocated; push copies a block in, pull fills one render quantum out.
// It waits for `startSamples` before playing (the jitter cushion). It plays a quantum only while another stays
// queued behind it: when what is left could not fill the next one, this quantum fades out (concealment.js), the
// ring refills its cushion, and the quantum after the refill fades in, so an underrun is a dip, never a click; the
// samples left over wait in the ring and play after the refill. Every such underrun is counted. With a
// `maxSamples` (duplex: audio arrives at the microphone's pace, so a backlog would never drain and would stay as added
// latency) it watches its low-water mark, the margin it actually kept against an underrun: when even that stayed above
// maxSamples for `trimWindow` samples of play, the excess is a standing backlog, not jitter, and it skips the oldest
// samples until the low-water mark would have been `trimTo`, cross-fading across the jump over one quantum so the skip
// does not click. A block may say where in the stream it starts (`at`, in the positions `offered` counts): one that
// starts before the end of what was offered replaces what is queued from there (a rewind: the server rendered it
// again with newer parameters); a rewind's blocks come together, so what is queued stays as much as it was. Where a
// rewind starts is normally still unplayed, and the splice is exact; when part of it has played already, the rest
// plays from the playing position on, cross-faded over one quantum from what was due.
import { fadeIn, fadeOut } from './concealment.js';

const SPLICE_SAMPLES = 128;   // a render quantum: a late replacement's cross-fade

export class SampleRing {
  constructor(capacity) {
    this.samples = new Float32Array(capacity);
    this.offered = 0;      // samples ever offered to push, kept or not: the sender's count to reconcile with
    this.written = 0;      // samples ever kept
    this.consumed = 0;     // samples ever pulled into the output
    this.startSamples = 0;
    this.playing = false;  // false while (re)filling the cushion
    this.paused = true;    // no stream: silence, and no underruns counted
    this.underruns = 0;
    this.concealed = 0;    // underruns faded out and in (all of them, unless the ring was pulled with nothing queued)
    this.fadingIn = false; // the next quantum played fades in
    // Clicks, measured where they would be heard: the largest step between neighbouring samples played, beside the
    // largest step of the stream itself (within quanta played as they came). A hard cut would show as the first far
    // above the second.
    this.largestStep = 0;
    this.largestStreamStep = 0;
    this.lastPlayed = 0;
    this.late = 0;         // underruns ended by a block that came too late
    this.dry = 0;          // samples played silent since the last underrun, until a block came
    this.lateBy = 0;       // how long the ring was dry before the last late block came (samples)
    this.overflows = 0;
    this.skipped = 0;      // samples dropped to keep a duplex stream's latency at its cushion
    this.skippedUpTo = 0;  // the ring position the last skip jumped to
    this.maxSamples = Infinity;
    this.trimWindow = Infinity;
    this.trimTo = 0;
    this.lowWater = Infinity;
    this.sinceTrimCheck = 0;
    this.starved = false;
    this.replaced = 0;     // times a block replaced what was queued (rewinds)
    this.replacedLate = 0; // of those, the ones whose start had already played: spliced where the ring was
    this.splice = new Float32Array(SPLICE_SAMPLES);   // what was due when a late replacement came: faded from
    this.spliceLength = 0;
    this.splicedAt = 0;    // the newest late replacement: where the fade began, and where its block started
    this.splicedFrom = 0;
    this.rewindFrom = 0;   // where the newest rewind began
  }

  get buffered() { return this.written - this.consumed; }

  configure(startSamples, maxSamples = Infinity, trimWindow = Infinity, trimTo = startSamples) {
    this.startSamples = Math.min(startSamples, this.samples.length);
    this.maxSamples = maxSamples;
    this.trimWindow = trimWindow;
    this.trimTo = trimTo;
  }

  pause() { this.paused = true; this.playing = false; this.consumed = this.written; }

  resume() { this.paused = false; this.playing = false; this.starved = false; }

  receive(message) {
    switch (message.type) {
      case 'block': this.push(message.samples, message.at); break;
      case 'rewound': this.replace(message.at, message.blocks, message.changeAt); break;
      case 'configure': this.configure(message.startSamples, message.maxSamples, message.trimWindow, message.trimTo); break;
      case 'pause': this.pause(); break;
      case 'resume': this.resume(); break;
    }
  }

  // `at`: where the block starts in the stream (as `offered` counts).
  push(block, at = this.offered) {
    if (at < this.offered) block = this.replaceFrom(at, block);
    this.offered += block.length;
    if (this.buffered + block.length > this.samples.length) {
      this.overflows++;
      return false;
    }
    if (this.starved) {
      this.late++;            // it arrived after the ring had run dry for want of it
      this.lateBy = this.dry;
      this.dry = 0;
      this.starved = false;
    }
    const capacity = this.samples.length;
    const start = this.written % capacity;
    const first = Math.min(block.length, capacity - start);
    this.samples.set(block.subarray(0, first), start);
    this.samples.set(block.subarray(first), 0);
    this.written += block.length;
    return true;
  }

  // A rewind's blocks, from stream position `at`, all at once: what was queued from there is replaced in one step, so
  // the ring never plays with it cut short while the rest is on its way. `changeAt`: the first sample the rewind
  // changes (a key timed inside its first block; its start otherwise): one spliced before it is not late.
  replace(at, blocks, changeAt = at) {
    this.replaced++;
    this.rewindFrom = at;
    this.changeAt = changeAt;
    for (const block of blocks) {
      this.push(block, at);
      at += block.length;
    }
  }

  // Drops what is queued from `at` on (or from the playing position, if `at` has played: then what was due fades into
  // the block there) and returns the part of the block still to play.
  replaceFrom(at, block) {
    const head = this.offered - this.buffered;   // the stream position that plays next
    const from = Math.max(at, head);
    if (at < head && this.buffered > 0) {
      // The rewind renders what played the same up to its change: spliced before it, the rewind was in time for
      // what it was for, and the cross-fade (for anything else that changed meanwhile) ends where the change begins.
      const changeAt = this.changeAt ?? at;
      if (head > changeAt) {
        this.replacedLate++;
        this.splicedAt = head;
        this.splicedFrom = this.rewindFrom;
      }
      this.keepSplice(head > changeAt ? SPLICE_SAMPLES : changeAt - head);
    }
    this.written -= this.offered - from;
    this.offered = from;
    return block.subarray(Math.min(block.length, from - at));
  }

  keepSplice(length) {
    const capacity = this.samples.length;
    this.spliceLength = Math.min(length, SPLICE_SAMPLES, this.buffered);
    for (let i = 0; i < this.spliceLength; i++) this.splice[i] = this.samples[(this.consumed + i) % capacity];
  }

  // The quantum after a late replacement fades from what was due to what replaced it.
  crossFadeSplice(out, count) {
    const length = Math.min(this.spliceLength, count);
    for (let i = 0; i < length; i++) {
      const due = this.splice[i];
      out[i] = due + (out[i] - due) * ((i + 1) / length);
    }
    this.spliceLength = 0;
  }

  pull(out) {
    const quantum = out.length;
    if (this.paused) {
      out.fill(0);
      this.lastPlayed = 0;    // no stream: nothing to judge
      return;
    }
    if (!this.playing && this.buffered < Math.max(this.startSamples, 2 * quantum)) {
      out.fill(0);
      if (this.starved) this.dry += quantum;
      this.measureSteps(out, false);
      return;
    }
    if (!this.playing) {
      this.lowWater = Infinity;
      this.playing = true;
      this.fadingIn = true;
    }
    const excess = this.standingBacklog(quantum);
    if (excess > 0) {
      this.pullAcross(out, excess);
      this.measureSteps(out, false);
      return;
    }
    const count = this.take(out);
    let plain = count === quantum;
    if (this.spliceLength > 0) {
      this.crossFadeSplice(out, count);
      plain = false;
    }
    if (this.fadingIn) {
      fadeIn(out.subarray(0, count));
      this.fadingIn = false;
      plain = false;
    }
    if (count < quantum) {
      out.fill(0, count);     // nothing was left to fade (a ring pulled past its cushion): a hard stop
      this.underrun();
    } else if (this.buffered < quantum) {
      fadeOut(out);           // the next quantum cannot be filled: leave on a fade
      plain = false;
      this.concealed++;
      this.underrun();
    }
    this.measureSteps(out, plain);
  }

  measureSteps(out, plain) {
    let previous = this.lastPlayed;
    let largest = this.largestStep;
    for (let i = 0; i < out.length; i++) {
      const step = Math.abs(out[i] - previous);
      if (step > largest) largest = step;
      if (plain && i > 0 && step > this.largestStreamStep) this.largestStreamStep = step;
      previous = out[i];
    }
    this.largestStep = largest;
    this.lastPlayed = previous;
  }

  // Copies up to one quantum out of the ring; returns how many samples it had.
  take(out) {
    const count = Math.min(out.length, this.buffered);
    const capacity = this.samples.length;
    const start = this.consumed % capacity;
    const first = Math.min(count, capacity - start);
    out.set(this.samples.subarray(start, start + first), 0);
    out.set(this.samples.subarray(0, count - first), first);
    this.consumed += count;
    return count;
  }

  underrun() {
    this.underruns++;
    this.playing = false;     // rebuild the cushion before playing on
    this.starved = true;
  }

  // How many samples to skip now: the low-water mark's excess over trimTo, checked every trimWindow samples of play.
  standingBacklog(quantum) {
    this.lowWater = Math.min(this.lowWater, this.buffered);
    this.sinceTrimCheck += quantum;
    if (this.sinceTrimCheck < this.trimWindow) return 0;
    const excess = this.lowWater > this.maxSamples && this.lowWater - this.trimTo >= quantum ? this.lowWater - this.trimTo : 0;
    this.lowWater = Infinity;
    this.sinceTrimCheck = 0;
    return excess;
  }

  // One quantum that fades from the samples due now to those `excess` later, then plays on from there.
  pullAcross(out, excess) {
    const capacity = this.samples.length;
    for (let i = 0; i < out.length; i++) {
      const due = this.samples[(this.consumed + i) % capacity];
      const later = this.samples[(this.consumed + excess + i) % capacity];
      out[i] = due + (later - due) * ((i + 1) / out.length);
    }
    this.consumed += excess + out.length;
    this.skipped += excess;
    this.skippedUpTo = this.consumed - out.length;
  }

  report() {
    return {
      type: 'status', offered: this.offered, consumed: this.consumed, buffered: this.buffered, underruns: this.underruns,
      concealed: this.concealed, lateBy: this.lateBy, largestStep: this.largestStep, largestStreamStep: this.largestStreamStep, late: this.late, overflows: this.overflows, skipped: this.skipped, skippedUpTo: this.skippedUpTo, playing: this.playing, replaced: this.replaced, replacedLate: this.replacedLate, splicedAt: this.splicedAt, splicedFrom: this.splicedFrom,
    };
  }
}
