// The player's keyboard (docs/protocol.md, "note-on"): keys on screen, the computer's letters as a piano, and Web MIDI
// where the page may use it. It says which notes are pressed and released; the player sends them to the server, whose
// instrument every listener hears. The letters are read by their place on the keyboard (KeyboardEvent.code), so the
// piano is the same on any layout, and only while the keyboard has the focus: typing in a notebook plays nothing.

// A, W, S, E, D, F, T, G, Y, H, U, J, K, O, L, P, ; — white keys on the home row, black keys above them.
const LETTER_STEPS = {
  KeyA: 0, KeyW: 1, KeyS: 2, KeyE: 3, KeyD: 4, KeyF: 5, KeyT: 6, KeyG: 7, KeyY: 8, KeyH: 9, KeyU: 10, KeyJ: 11,
  KeyK: 12, KeyO: 13, KeyL: 14, KeyP: 15, Semicolon: 16,
};
const OCTAVE_DOWN = 'KeyZ';
const OCTAVE_UP = 'KeyX';
const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const BLACK = new Set([1, 3, 6, 8, 10]);

export const noteName = (note) => `${NAMES[note % 12]}${Math.floor(note / 12) - 1}`;

export const isBlack = (note) => BLACK.has(note % 12);

// The computer keyboard as a piano: which note a letter plays, with Z and X moving the octave. A key held down sends
// one press (not the browser's repeats), and its release lets go of the note it pressed, whatever the octave is now.
export class LetterPiano {
  constructor({ lowestC = 60 } = {}) {
    this.lowestC = lowestC;
    this.held = new Map();   // code → note it pressed
  }

  // A key went down: the note to press, or null (not a piano key, a repeat, or an octave change).
  press(code) {
    if (code === OCTAVE_DOWN || code === OCTAVE_UP) {
      this.lowestC = Math.min(108, Math.max(0, this.lowestC + (code === OCTAVE_UP ? 12 : -12)));
      return null;
    }
    const step = LETTER_STEPS[code];
    if (step === undefined || this.held.has(code)) return null;
    const note = this.lowestC + step;
    if (note > 127) return null;
    this.held.set(code, note);
    return note;
  }

  // A key came up: the note to release, or null.
  release(code) {
    const note = this.held.get(code);
    this.held.delete(code);
    return note ?? null;
  }

  // The focus left: every held letter's note, to release.
  releaseAll() {
    const notes = [...this.held.values()];
    this.held.clear();
    return notes;
  }

  get octaveLabel() { return `${noteName(this.lowestC)}–${noteName(this.lowestC + 16)}`; }
}

// A Web MIDI message as a note event: { note, velocity (0–1), on }, or null for anything else. A note-on at velocity 0
// is a release, as MIDI has it.
export function midiNote(data) {
  if (!data || data.length < 3) return null;
  const kind = data[0] & 0xf0;
  if (kind === 0x90 && data[2] > 0) return { note: data[1], velocity: data[2] / 127, on: true };
  if (kind === 0x80 || kind === 0x90) return { note: data[1], velocity: 0, on: false };
  return null;
}

// Asks for Web MIDI and listens to every input; resolves to a line saying what it found, or why there is none (a
// VS Code webview or a page without permission refuses it, as the microphone is refused).
export async function connectMidi(navigator, onNote) {
  if (typeof navigator?.requestMIDIAccess !== 'function') return 'MIDI: this page has no Web MIDI';
  let access;
  try {
    access = await navigator.requestMIDIAccess();
  } catch (error) {
    return `MIDI: not allowed here (${error.name}); the server's own page may allow it`;
  }
  const listen = () => {
    for (const input of access.inputs.values()) {
      input.onmidimessage = (event) => { const note = midiNote(event.data); if (note) onNote(note); };
    }
  };
  listen();
  access.onstatechange = listen;
  const names = [...access.inputs.values()].map((input) => input.name);
  return names.length === 0 ? 'MIDI: allowed, no input connected' : `MIDI: ${names.join(', ')}`;
}

// The on-screen keys from `low` to `high` (MIDI numbers), white keys in a row and black keys over their gaps. Pointer
// presses call `press(note)` and `release(note)`; a key shows as down while its note is held from anywhere.
export function buildKeys(document, { low, high, press, release }) {
  const keys = document.createElement('div');
  keys.className = 'snp-keys';
  const whites = [];
  for (let note = low; note <= high; note++) if (!isBlack(note)) whites.push(note);
  const byNote = new Map();
  for (let note = low; note <= high; note++) {
    const key = document.createElement('div');
    key.className = isBlack(note) ? 'snp-key snp-black' : 'snp-key snp-white';
    key.dataset.note = String(note);
    key.title = noteName(note);
    const whitesBefore = whites.filter((w) => w < note).length;
    key.style.left = isBlack(note) ? `calc(${whitesBefore} * var(--snp-white) - var(--snp-black) / 2)` : `calc(${whitesBefore} * var(--snp-white))`;
    let down = false;
    key.addEventListener('pointerdown', (event) => { event.preventDefault(); down = true; key.setPointerCapture?.(event.pointerId); press(note); });
    const up = () => { if (down) { down = false; release(note); } };
    key.addEventListener('pointerup', up);
    key.addEventListener('pointercancel', up);
    byNote.set(note, key);
    keys.append(key);
  }
  keys.style.width = `calc(${whites.length} * var(--snp-white))`;
  return { element: keys, show: (note, on) => byNote.get(note)?.classList.toggle('snp-down', on) };
}
