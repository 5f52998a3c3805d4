import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LetterPiano, midiNote, noteName, isBlack, connectMidi } from '../../src/SynthNotebook/Player/keyboard.js';

test('the home row plays white keys from C, the row above the black ones, Z and X move the octave', () => {
  const piano = new LetterPiano({ lowestC: 60 });
  assert.deepEqual(['KeyA', 'KeyW', 'KeyS', 'KeyD', 'KeyH', 'KeyK', 'Semicolon'].map((code) => piano.press(code)), [60, 61, 62, 64, 69, 72, 76]);
  assert.equal(piano.press('KeyX'), null);
  assert.equal(piano.press('KeyQ'), null, 'not a piano key');
  assert.equal(piano.octaveLabel, 'C5–E6');
  assert.equal(piano.release('KeyA'), 60, 'a release lets go of the note it pressed, whatever the octave now');
  assert.equal(piano.press('KeyA'), 72);
});

test('a held key presses once, however often the browser repeats it', () => {
  const piano = new LetterPiano();
  assert.equal(piano.press('KeyG'), 67);
  assert.equal(piano.press('KeyG'), null);
  assert.equal(piano.release('KeyG'), 67);
  assert.equal(piano.release('KeyG'), null);
  piano.press('KeyF');
  piano.press('KeyJ');
  assert.deepEqual(piano.releaseAll(), [65, 71]);
});

test('the octave stays within MIDI', () => {
  const piano = new LetterPiano({ lowestC: 12 });
  piano.press('KeyZ');
  piano.press('KeyZ');
  assert.equal(piano.press('KeyA'), 0);
  const high = new LetterPiano({ lowestC: 108 });
  high.press('KeyX');
  assert.equal(high.press('KeyA'), 108);
  assert.equal(high.press('Semicolon'), 124);
});

test('MIDI note-on and note-off, and a note-on at velocity 0 as a release', () => {
  assert.deepEqual(midiNote([0x90, 69, 127]), { note: 69, velocity: 1, on: true });
  assert.deepEqual(midiNote([0x93, 60, 0]), { note: 60, velocity: 0, on: false });
  assert.deepEqual(midiNote([0x80, 60, 64]), { note: 60, velocity: 0, on: false });
  assert.equal(midiNote([0xb0, 7, 100]), null, 'a controller is not a note');
  assert.equal(midiNote([0xfe]), null);
});

test('names and colours of keys', () => {
  assert.equal(noteName(60), 'C4');
  assert.equal(noteName(69), 'A4');
  assert.equal(noteName(61), 'C#4');
  assert.equal(noteName(0), 'C-1');
  assert.ok(isBlack(61) && !isBlack(64));
});

test('Web MIDI says why there is none, or what it found', async () => {
  assert.equal(await connectMidi({}, () => {}), 'MIDI: this page has no Web MIDI');
  const refused = { requestMIDIAccess: async () => { const e = new Error('denied'); e.name = 'SecurityError'; throw e; } };
  assert.match(await connectMidi(refused, () => {}), /not allowed here \(SecurityError\)/);
  const input = { name: 'Keystation 49' };
  const access = { inputs: new Map([['1', input]]) };
  const heard = [];
  assert.equal(await connectMidi({ requestMIDIAccess: async () => access }, (n) => heard.push(n)), 'MIDI: Keystation 49');
  input.onmidimessage({ data: [0x90, 64, 100] });
  assert.deepEqual(heard, [{ note: 64, velocity: 100 / 127, on: true }]);
});
