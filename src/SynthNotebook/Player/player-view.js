import { LetterPiano, buildKeys, connectMidi } from './keyboard.js';

// The player's face: Play/Stop, a slider per component and one for the gain, the microphone's options, a notice, the
// keyboard (while the server plays an instrument), the scopes' canvases and the status line. It draws and reports what the user does; it knows nothing of audio or sockets.
// The slider ranges are the server's (config.limits): the highest frequency is the synth's Nyquist frequency, the
// highest gain the synth's limit.

const SLIDER_STEPS = 10000;
const SLIDER_MIN_HZ = 20;   // a log scale cannot start at 0 Hz; lower frequencies show at the slider's left end

export const formatHz = (frequency) => frequency >= 1000 ? `${(frequency / 1000).toFixed(2)} kHz` : `${frequency.toFixed(1)} Hz`;

// A log-frequency slider between SLIDER_MIN_HZ and maxHz.
export function frequencyScale(maxHz) {
  const span = Math.log(maxHz / SLIDER_MIN_HZ);
  return {
    steps: SLIDER_STEPS,
    toSlider: (frequency) => Math.round(SLIDER_STEPS * Math.log(Math.min(maxHz, Math.max(frequency, SLIDER_MIN_HZ)) / SLIDER_MIN_HZ) / span),
    fromSlider: (value) => Math.min(maxHz, SLIDER_MIN_HZ * Math.exp(span * value / SLIDER_STEPS)),
  };
}

export const percentile = (values, fraction) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
};

// The status line of a connected player, from its stats (player.js).
export function describe(s) {
  const latency = percentile(s.latenciesMs ?? [], 0.5);   // from a slider move, a key or a cell's change to its sound
  const roundTrip = s.roundTripMs ?? [];
  const devices = s.deviceMs > 0 ? ` (+ devices ~${s.deviceMs.toFixed(0)} ms)` : '';
  const duplex = s.mode === 'duplex';
  // A failed source comes first: it is why the player is silent, and what the user has to fix. (A microphone player
  // plays its own microphone through the chain, not the server's patch: neither is said there.)
  const failed = s.sourceError && !duplex ? `source failed: ${s.sourceError} · ` : '';
  return `${failed}connected · ${s.sampleRate} Hz · ${s.blockSize}-sample blocks · buffered ${s.bufferedMs.toFixed(0)} ms` +
    (s.cushionWhy ? ` (cushion ${s.targetMs.toFixed(0)} ms, ${s.cushionWhy})` : '') +
    ` · underruns ${s.underruns}` + (s.underruns > 0 ? `, ${s.concealed} concealed` : '') + ` · late ${s.late}` +
    (Number.isNaN(latency) ? '' : ` · change→sound ${latency.toFixed(0)} ms${duplex ? '' : devices}`) +
    (roundTrip.length === 0 ? '' :
      ` · mic→out p50 ${percentile(roundTrip, 0.5).toFixed(0)} ms, p95 ${percentile(roundTrip, 0.95).toFixed(0)} ms${devices}`) +
    (s.skipped > 0 ? ` · skipped ${(s.skipped / s.sampleRate * 1000).toFixed(0)} ms to keep up` : '') +
    (s.source && !s.sourceError && !duplex ? ` · playing ${s.source}` : '');
}

const STYLE = `
  .synth-notebook-player { font: 13px system-ui, sans-serif; border: 1px solid #8884; border-radius: 6px; padding: 8px; max-width: 640px; }
  .synth-notebook-player .snp-bar { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; }
  .synth-notebook-player .snp-row { display: grid; grid-template-columns: 110px 1fr 90px; gap: 8px; align-items: center; }
  .synth-notebook-player .snp-status { display: block; font-family: ui-monospace, monospace; font-size: 11px; opacity: .85;
    margin-bottom: 6px; line-height: 1.35; height: 2.7em; overflow: hidden; }
  .synth-notebook-player .snp-status.snp-three-lines { height: 4.05em; }
  .synth-notebook-player .snp-mic { display: flex; gap: 12px; margin-bottom: 6px; }
  .synth-notebook-player .snp-notice { margin: 6px 0; padding: 6px; border-left: 3px solid #d98c00; }
  .synth-notebook-player canvas { width: 100%; height: 110px; display: block; margin-top: 6px; }
  .synth-notebook-player .snp-keyboard { margin-top: 8px; outline: none; border-radius: 4px; padding: 4px; }
  .synth-notebook-player .snp-keyboard:focus-visible, .synth-notebook-player .snp-keyboard:focus { box-shadow: 0 0 0 2px #4a8ad4; }
  .synth-notebook-player .snp-keyboard-bar { display: flex; gap: 8px; align-items: center; font-size: 11px; margin-bottom: 4px; }
  .synth-notebook-player .snp-keyboard-bar span { opacity: .85; }
  .synth-notebook-player .snp-keys { position: relative; height: 84px; --snp-white: 28px; --snp-black: 18px; max-width: 100%; overflow: hidden; touch-action: none; user-select: none; }
  .synth-notebook-player .snp-key { position: absolute; top: 0; box-sizing: border-box; border: 1px solid #555; border-radius: 0 0 4px 4px; cursor: pointer; }
  .synth-notebook-player .snp-white { width: var(--snp-white); height: 84px; background: #fafafa; z-index: 1; }
  .synth-notebook-player .snp-black { width: var(--snp-black); height: 52px; background: #222; z-index: 2; }
  .synth-notebook-player .snp-key.snp-down { background: #4a8ad4; }`;

export class PlayerView {
  // actions: { play(), stop(), change(message) }, called on the user's clicks and slider moves.
  constructor(root, config, actions) {
    this.root = root;
    this.config = config;
    this.actions = actions;
    this.duplex = config.mode === 'duplex';
    this.frequencies = frequencyScale(config.limits.maxFrequency);
    this.maxGain = config.limits.maxGain;
    this.dragging = new Set();
    this.enabled = false;
    this.build(config.components, config.gain);
  }

  build(components, gain) {
    const { root } = this;
    root.classList.add('synth-notebook-player');
    root.replaceChildren();
    const style = document.createElement('style');
    style.textContent = STYLE;
    const bar = document.createElement('div');
    bar.className = 'snp-bar';
    this.playButton = this.button('Play', () => this.actions.play());
    this.stopButton = this.button('Stop', () => this.actions.stop());
    this.status = document.createElement('span');
    this.status.className = this.duplex ? 'snp-status snp-three-lines' : 'snp-status';   // the round trip's figures too
    this.status.setAttribute('role', 'status');
    bar.append(this.playButton, this.stopButton);
    this.notice = document.createElement('div');
    this.notice.className = 'snp-notice';
    this.notice.hidden = true;
    this.sliders = document.createElement('div');
    root.append(style, bar, this.status, this.notice);   // the status gets the whole width: it says a lot
    if (this.duplex) root.append(this.microphoneOptions());
    root.append(this.sliders);
    if (!this.duplex) root.append(this.keyboardSection());
    this.canvases = (this.duplex ? ['microphone', 'output'] : ['output']).map((label) => {
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 110;
      canvas.dataset.scope = label;
      root.append(canvas);
      return canvas;
    });
    this.buildSliders(components, gain);
  }

  // The keys: on screen, the computer's letters while the keyboard has the focus, and Web MIDI when asked for. Hidden
  // until the server says its patch has keys (showPatch).
  keyboardSection() {
    const section = document.createElement('div');
    section.className = 'snp-keyboard';
    section.tabIndex = 0;
    section.hidden = true;
    section.setAttribute('aria-label', 'keyboard: click, then play with the letters');
    const piano = new LetterPiano({ lowestC: 60 });
    const held = new Set();
    const press = (note, velocity = 0.8) => {
      if (held.has(note)) return;
      held.add(note);
      this.keys.show(note, true);
      this.actions.change({ op: 'note-on', note, velocity: Math.round(velocity * 1000) / 1000 });
    };
    const release = (note) => {
      if (!held.delete(note)) return;
      this.keys.show(note, false);
      this.actions.change({ op: 'note-off', note });
    };
    this.keys = buildKeys(document, { low: 48, high: 84, press: (note) => { section.focus(); press(note); }, release });
    const hint = document.createElement('span');
    const showHint = () => { hint.textContent = `click here, then play A W S E D F T G Y H U J K (${piano.octaveLabel}); Z X: octave`; };
    showHint();
    const midiState = document.createElement('span');
    midiState.className = 'snp-midi';
    const midi = this.button('MIDI', async () => {
      midiState.textContent = 'MIDI: asking…';
      midiState.textContent = await connectMidi(globalThis.navigator, ({ note, velocity, on }) => (on ? press(note, velocity) : release(note)));
    });
    const bar = document.createElement('div');
    bar.className = 'snp-keyboard-bar';
    bar.append(hint, midi, midiState);
    section.addEventListener('keydown', (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const note = piano.press(event.code);
      if (note !== null) press(note);
      else if (event.code === 'KeyZ' || event.code === 'KeyX') showHint();
      else if (!piano.held.has(event.code)) return;
      event.preventDefault();
    });
    section.addEventListener('keyup', (event) => {
      const note = piano.release(event.code);
      if (note !== null) release(note);
    });
    section.addEventListener('blur', () => { for (const note of piano.releaseAll()) release(note); });
    this.keyboard = section;
    section.append(bar, this.keys.element);
    return section;
  }

  // What the server plays decides what is shown: the keyboard for an instrument, the sliders while they are heard
  // (an older server says nothing of sliders: they stay).
  showPatch({ keys, sliders }) {
    if (this.keyboard) this.keyboard.hidden = keys !== true;
    this.sliders.hidden = sliders === false;
  }

  // The browser's own voice processing, off by default: the chain in the kernel should get the raw signal. And whether
  // this page plays the microphone back: off when it is heard on another player (server.MicrophoneInput), so it is
  // not heard twice (or fed back into itself through the speakers).
  microphoneOptions() {
    const row = document.createElement('div');
    row.className = 'snp-mic';
    const hear = document.createElement('label');
    this.monitorBox = document.createElement('input');
    this.monitorBox.type = 'checkbox';
    this.monitorBox.name = 'monitor';
    this.monitorBox.checked = this.config.monitorMicrophone !== false;   // PlayerOptions.MonitorMicrophone
    this.monitorBox.addEventListener('change', () => this.actions.monitor?.(this.monitorBox.checked));
    hear.append(this.monitorBox, ' hear it here');
    row.append(hear);
    const labels = { echoCancellation: 'echo cancellation', noiseSuppression: 'noise suppression', autoGainControl: 'auto gain' };
    this.constraintBoxes = Object.entries(labels).map(([name, text]) => {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.name = name;
      box.checked = !!this.config.microphone?.[name];
      label.append(box, ` ${text}`);
      row.append(label);
      return box;
    });
    return row;
  }

  // The microphone constraints the user ticked.
  microphoneConstraints() {
    const audio = { channelCount: 1 };
    for (const box of this.constraintBoxes ?? []) audio[box.name] = box.checked;
    return audio;
  }

  button(label, action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.dataset.action = label.toLowerCase();
    button.addEventListener('click', action);
    return button;
  }

  buildSliders(components, gain) {
    const { steps, toSlider, fromSlider } = this.frequencies;
    const gainStep = this.maxGain / 1000;
    this.frequencySliders = components.map((component, index) =>
      this.slider(`Component ${index + 1}`, `frequency-${index}`, steps, toSlider(component.frequency),
        (value) => formatHz(fromSlider(value)),
        (value) => this.actions.change({ op: 'set', component: index, frequency: Math.round(fromSlider(value) * 100) / 100 }),
        formatHz(component.frequency)));
    this.gainSlider = this.slider('Gain', 'gain', 1000, Math.round(gain / gainStep),
      (value) => (value * gainStep).toFixed(2),
      (value) => this.actions.change({ op: 'set', gain: value * gainStep }),
      gain.toFixed(2));
    this.sliders.replaceChildren(...this.frequencySliders.map((s) => s.row), this.gainSlider.row);
    this.enableSliders(this.enabled);
  }

  // `format` shows a position the user dragged to; a value set from outside shows as itself (`text`), not as the
  // nearest of the slider's steps (250 Hz is no slider step: it would read 249.9).
  slider(label, name, max, value, format, onInput, text = format(value)) {
    const row = document.createElement('label');
    row.className = 'snp-row';
    const caption = document.createElement('span');
    caption.textContent = label;
    const input = document.createElement('input');
    Object.assign(input, { type: 'range', min: 0, max, step: 1, value });
    input.name = name;
    const shown = document.createElement('output');
    shown.textContent = text;
    input.addEventListener('input', () => {
      shown.textContent = format(Number(input.value));
      onInput(Number(input.value));
    });
    // While the user drags a slider, broadcasts must not yank it back.
    input.addEventListener('pointerdown', () => this.dragging.add(input));
    input.addEventListener('pointerup', () => this.dragging.delete(input));
    input.addEventListener('change', () => this.dragging.delete(input));
    row.append(caption, input, shown);
    const set = (v, shownText = format(v)) => { if (!this.dragging.has(input)) { input.value = v; shown.textContent = shownText; } };
    return { row, input, set };
  }

  enableSliders(enabled) {
    this.enabled = enabled;
    for (const { input } of [...this.frequencySliders, this.gainSlider]) {
      input.disabled = !enabled;
    }
  }

  showParameters(params) {
    if (params.components.length !== this.frequencySliders.length) {
      this.buildSliders(params.components, params.gain);
      return;
    }
    params.components.forEach((component, index) =>
      this.frequencySliders[index].set(this.frequencies.toSlider(component.frequency), formatHz(component.frequency)));
    this.gainSlider.set(Math.round(params.gain / (this.maxGain / 1000)), params.gain.toFixed(2));
  }

  // Two lines of fixed height (the sliders below must not jump as the figures change); the whole of it as a tooltip.
  setStatus(text) {
    this.status.textContent = text;
    this.status.title = text;
  }

  showNotice(...content) {
    this.notice.replaceChildren(...content);
    this.notice.hidden = false;
  }

  hideNotice() { this.notice.hidden = true; }
}
