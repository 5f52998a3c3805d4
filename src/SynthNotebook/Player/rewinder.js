// When and from where to ask the server for a rewind (docs/protocol.md, "Rewind"). The cushion keeps audio queued
// against the machine's stalls, and a change of the parameters (a slider, a cell) would wait behind all of it: on a
// busy laptop that is 100 ms and more. Instead the link asks the server to render the queued blocks again from a
// little ahead of the playing position, so a change is heard after the round trip and one device callback, whatever
// the cushion holds. One rewind at a time: a change that comes while one is on its way is asked for when it is done,
// unless the blocks it brought already carry it. Pure policy with the clock passed in.

const LEAD_MS = 4;              // the least allowed for the rewind's way there and back, beyond the device's next callback,
const MAX_LEAD_MS = 30;         // and the most: a slower machine's late rewinds are spliced (cross-faded), not waited for
const ROUND_TRIPS = 32;         // the rewinds' round trips remembered: the way is allowed their third quartile
const GIVE_UP_MS = 1000;        // a rewind whose blocks never came (a closed connection) no longer holds others back
const VERSIONS = 4096;          // parameter versions remembered per block: more than a history reaches
const LOG_LENGTH = 64;

export class Rewinder {
  constructor({ blockSize, sampleRate, callbackMs, reachBlocks }) {
    this.blockSize = blockSize;
    this.reachBlocks = reachBlocks;                          // the welcome's rewindBlocks: how far back the server goes
    this.sampleRate = sampleRate;
    this.callbackMs = callbackMs;
    this.roundTrips = [];                                    // ms from asking to the first block, newest last
    this.answered = false;                                   // whether the rewind on its way has sent its first block
    this.next = 0;                                           // the sequence number after the newest block
    this.versions = new Uint32Array(VERSIONS);               // each block's parameter version, by sequence
    this.wanted = 0;                                         // the newest parameter version the queue should carry
    this.sentAt = null;                                      // when the rewind on its way was asked for
    this.changeAt = 0;                                       // and the first sample it changes
    this.pending = false;                                    // a change came while one was on its way
    this.rewinds = 0;
    this.log = [];                                           // [from, the newest block then + 1] of recent rewinds
  }

  // A block came at `now`. Returns true when it replaces one (a rewind's block, numbered before the newest).
  arrived(sequence, version, now) {
    this.versions[sequence % VERSIONS] = version;
    if (sequence >= this.next) {
      this.next = sequence + 1;
      return false;
    }
    if (this.sentAt !== null && !this.answered) {           // its first block: the way there and back
      this.answered = true;
      this.roundTrips.push(now - this.sentAt);
      if (this.roundTrips.length > ROUND_TRIPS) this.roundTrips.shift();
    }
    if (sequence === this.next - 1) this.sentAt = null;      // the rewind's last block: the next may go
    return true;
  }

  // The server could render nothing again (what played kept no checkpoints): the rewind is over, unanswered by blocks.
  skipped() {
    this.sentAt = null;
    this.answered = true;
  }

  // How far ahead of the playing position a rewind starts: the device's next callback, and the way there and back
  // as the recent rewinds took it (their third quartile, 4–30 ms). A rewind later than that is cross-faded in where
  // the ring is, which is no click; every ms more here is a ms more before a change is heard.
  get leadMs() {
    const sorted = [...this.roundTrips].sort((a, b) => a - b);
    const slow = sorted.length > 0 ? sorted[Math.floor(0.75 * (sorted.length - 1))] : 0;
    return this.callbackMs + Math.min(MAX_LEAD_MS, Math.max(LEAD_MS, slow));
  }

  get waiting() { return this.sentAt !== null; }

  // The first stream sample a rewind asked for now can still change: the lead ahead of `head` (the playing position).
  earliest(head) {
    return Math.max(0, Math.ceil(head + this.leadMs / 1000 * this.sampleRate));
  }

  // The parameters changed: to `version` (a broadcast), or to a version not known yet (the player's own set or key:
  // asked for at once, behind it; a key timed to sample `at` is asked for from the block that holds it, which renders
  // the same up to it). `head` is the stream position (samples) playing now. Returns the message to send, or null.
  changed(version, head, now, at) {
    const own = version === undefined;
    if (!own) this.wanted = Math.max(this.wanted, version);
    if (this.sentAt !== null && now - this.sentAt < GIVE_UP_MS) {
      this.pending = true;
      return null;
    }
    this.pending = false;
    const start = at === undefined ? Math.ceil(this.earliest(head) / this.blockSize) : Math.floor(at / this.blockSize);
    const from = Math.max(start, this.next - this.reachBlocks, 0);
    if (from >= this.next) return null;                      // nothing queued past the safe point: new blocks carry it
    if (!own && this.carried(from)) return null;
    this.sentAt = now;
    this.changeAt = at ?? from * this.blockSize;             // the first sample the rewind on its way changes
    this.answered = false;
    this.rewinds++;
    this.log.push([from, this.next]);
    if (this.log.length > LOG_LENGTH) this.log.shift();
    return { op: 'rewind', from };
  }

  // Whether every block from `from` on already carries the wanted version (a rewind brought it, or the server had
  // rendered them after the change).
  carried(from) {
    for (let s = from; s < this.next; s++) {
      if (this.versions[s % VERSIONS] < this.wanted) return false;
    }
    return true;
  }
}
