// A paced connection's level (hello "pace", docs/protocol.md): the server sends a group of blocks every group's worth
// of audio on its own clock, so what is queued stays where the player set it, and while the cushion holds still the
// player sends nothing: listening costs the server one wake-up and one write per group instead of a message each way
// per block (benchmarks/README.md, "What listening costs the server"). The keeper follows the cushion's target: it
// asks for extra blocks at once when the target grows (the start, an underrun) and holds the server back when it
// shrinks (thinning). What the clock alone cannot keep (a server clock slower or faster than the audio device's, a
// server that fell so far behind that it skipped) shows in the level's slow mean, and is corrected now and then.
// Pure policy with the clock passed in, like the cushion.

const PACE_SEND_MS = 8;            // a group is about this much audio: 2 blocks of 256 at 48 kHz
const LEVEL_TIME_CONSTANT_MS = 2000;
const CORRECT_EVERY_MS = 2000;     // a correction's effect shows in the level's mean before the next is judged
const CORRECT_PAST_BLOCKS = 3;     // a slow mean this far off is not jitter
const HOLD_EXCUSED_MS = 1000;      // how long a hold's gap is expected: the server applies it at its next group

// Blocks per group for a block size: whole blocks near PACE_SEND_MS, at least one, at most the server's maxPace
// (its config's; PaceSchedule.MaxCatchUp).
export const paceFor = (blockSize, sampleRate, maxPace) =>
  Math.max(1, Math.min(maxPace, Math.round(PACE_SEND_MS / (blockSize / sampleRate * 1000))));

export class PaceKeeper {
  constructor({ pace, blockSize, sampleRate, callbackMs, maxBlocks }, now) {
    this.pace = pace;
    this.blockSize = blockSize;
    this.maxBlocks = maxBlocks;      // the most one credit or hold may name (the welcome's maxCredits)
    this.blockMs = blockSize / sampleRate * 1000;
    this.groupMs = pace * this.blockMs;
    // On average the ring holds what was arranged less half a group and half a device callback.
    this.dipSamples = (pace * blockSize + callbackMs / 1000 * sampleRate) / 2;
    this.arranged = 0;               // samples the schedule keeps queued: blocks asked for on top of it, less those held
    this.level = null;               // the level's slow mean, samples
    this.levelAt = now;
    this.judgedAt = now;             // the last correction (what the cushion asks for is followed at once)
    this.lastArrival = -Infinity;
    this.groupAt = null;
    this.timed = false;              // whether the ring played when the newest group came: the wait after it counts
    this.excusedMs = 0;              // the gap holds will put between two groups, not yet seen
    this.heldAt = now;
    this.extras = 0;                 // blocks asked for on top of the pace
    this.holds = 0;                  // blocks the server was held back by
  }

  // A block arrived, with the ring playing or not. The first of a group returns how long the wait for it was, in ms:
  // the group's own length plus however late it came after the previous group (the cushion must outlast that; a gap
  // a hold asked for is not late), when the ring played as that wait began (a stall that ran it dry counts); other
  // blocks return null.
  arrived(now, playing) {
    const gap = now - this.lastArrival;
    this.lastArrival = now;
    if (gap < this.blockMs / 2) return null;   // the rest of a group, or of a burst of extras
    const previous = this.groupAt;
    const timed = this.timed;
    this.groupAt = now;
    this.timed = playing;
    if (previous === null) return null;
    let late = Math.max(0, now - previous - this.groupMs);
    if (this.excusedMs > 0 && now - this.heldAt < HOLD_EXCUSED_MS) {
      const excused = Math.min(late, this.excusedMs);
      late -= excused;
      this.excusedMs -= excused;
    }
    return timed ? this.groupMs + late : null;
  }

  // The level now: queued samples, blocks asked for that have not come, and the cushion's target. Returns what to
  // send, if anything: { op: 'credit', blocks } or { op: 'hold', blocks }.
  steer(queued, owedBlocks, targetSamples, now) {
    const dt = Math.max(0, now - this.levelAt);
    this.levelAt = now;
    this.level = this.level === null ? queued : this.level + (queued - this.level) * (1 - Math.exp(-dt / LEVEL_TIME_CONSTANT_MS));
    const block = this.blockSize;
    if (targetSamples - this.arranged >= block / 2) {
      return this.credit(Math.ceil((targetSamples - this.arranged) / block), owedBlocks, true, now);
    }
    if (this.arranged - targetSamples >= block) {
      return this.hold(Math.floor((this.arranged - targetSamples) / block), true, now);
    }
    if (owedBlocks > 0 || now - this.judgedAt < CORRECT_EVERY_MS) return null;
    const off = (this.level - (this.arranged - this.dipSamples)) / block;   // + : more queued than arranged
    if (Math.abs(off) <= CORRECT_PAST_BLOCKS) return null;
    const blocks = Math.trunc(Math.abs(off)) - 1;
    return off < 0 ? this.credit(blocks, owedBlocks, false, now) : this.hold(blocks, false, now);
  }

  credit(wanted, owedBlocks, arranging, now) {
    const blocks = Math.min(this.maxBlocks - owedBlocks, wanted);
    if (blocks <= 0) return null;
    if (arranging) this.arranged += blocks * this.blockSize;
    else this.judgedAt = now;
    this.level += blocks * this.blockSize;   // the mean follows what was asked for, so it judges only what the clock did
    this.extras += blocks;
    return { op: 'credit', blocks };
  }

  hold(wanted, arranging, now) {
    const blocks = Math.min(this.maxBlocks, wanted);
    if (arranging) this.arranged -= blocks * this.blockSize;
    else this.judgedAt = now;
    this.level -= blocks * this.blockSize;
    this.holds += blocks;
    this.excusedMs += blocks * this.blockMs;
    this.heldAt = now;
    return { op: 'hold', blocks };
  }
}
