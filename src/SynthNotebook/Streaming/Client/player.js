// The SynthNotebook player: the browser side of docs/protocol.md. One instance per widget element, no globals.
// Concatenated after sample-ring.js into the widget's script; `mountSynthPlayer(root, config)` is called last.
// It plays through an AudioWorklet fed by transferred Float32Arrays (a ScriptProcessorNode where AudioWorklet is
// missing), keeps a small adaptive jitter cushion with credit-based requests, and shows live sliders.

const PROTOCOL_VERSION = 1;
const HEADER_BYTES = 16;
const MIN_FREQUENCY = 20;
const MAX_FREQUENCY = 20000;
const SLIDER_STEPS = 10000;
const MAX_GAIN_SLIDER = 2;
const RING_SECONDS = 2;
const MAX_TARGET_MS = 400;
const WARMUP_TARGET_MS = 80;     // a fresh connection (and a just-compiled server) gets a thick cushion first…
const SETTLE_AFTER_MS = 1500;    // …and once it has played this long without an underrun,
const SETTLE_MS_PER_S = 15;      // the cushion thins at this rate down to the floor.
const LATENCY_WINDOW = 64;

const toSlider = (frequency) => Math.round(SLIDER_STEPS * Math.log(Math.max(frequency, MIN_FREQUENCY) / MIN_FREQUENCY)
  / Math.log(MAX_FREQUENCY / MIN_FREQUENCY));
const fromSlider = (value) => MIN_FREQUENCY * Math.pow(MAX_FREQUENCY / MIN_FREQUENCY, value / SLIDER_STEPS);
const formatHz = (frequency) => frequency >= 1000 ? `${(frequency / 1000).toFixed(2)} kHz` : `${frequency.toFixed(1)} Hz`;
const median = (values) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

class SynthPlayer {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.socket = null;
    this.context = null;
    this.output = null;          // the player's node: AudioWorkletNode or ScriptProcessorNode
    this.sink = null;            // { push(samples, buffer), send(message) }
    this.userStopped = true;
    this.reconnectAttempt = 0;
    this.reconnectTimer = 0;
    this.blockSize = config.blockSize;
    this.floorMs = config.targetLatencyMs;   // the thinnest cushion allowed; raised by underruns
    this.targetMs = WARMUP_TARGET_MS;
    this.calmSince = 0;
    this.resetCounters();
    this.lastRefresh = 0;
    this.pendingChange = null;   // { sentAt, version } of the newest slider move not yet heard
    this.latencies = [];
    this.lastClose = '';
    this.dragging = new Set();
    this.build(config.components, config.gain);
    this.setStatus('stopped: press Play');
    root.synthPlayer = this;     // for tests and curious users; nothing is put on window
  }

  // ----- user interface -------------------------------------------------------------------------------------

  build(components, gain) {
    const { root } = this;
    root.classList.add('synth-notebook-player');
    root.replaceChildren();
    const style = document.createElement('style');
    style.textContent = `
      .synth-notebook-player { font: 13px system-ui, sans-serif; border: 1px solid #8884; border-radius: 6px; padding: 8px; max-width: 640px; }
      .synth-notebook-player .snp-bar { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; }
      .synth-notebook-player .snp-row { display: grid; grid-template-columns: 110px 1fr 90px; gap: 8px; align-items: center; }
      .synth-notebook-player .snp-status { font-family: ui-monospace, monospace; font-size: 12px; opacity: .85; }`;
    const bar = document.createElement('div');
    bar.className = 'snp-bar';
    this.playButton = this.button('Play', () => this.play());
    this.stopButton = this.button('Stop', () => this.stop());
    this.status = document.createElement('span');
    this.status.className = 'snp-status';
    this.status.setAttribute('role', 'status');
    bar.append(this.playButton, this.stopButton, this.status);
    this.sliders = document.createElement('div');
    root.append(style, bar, this.sliders);
    this.buildSliders(components, gain);
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
    this.frequencySliders = components.map((component, index) =>
      this.slider(`Component ${index + 1}`, `frequency-${index}`, 0, SLIDER_STEPS, toSlider(component.frequency),
        (value) => formatHz(fromSlider(value)),
        (value) => this.send({ op: 'set', component: index, frequency: Math.round(fromSlider(value) * 100) / 100 })));
    this.gainSlider = this.slider('Gain', 'gain', 0, 1000, Math.round(gain / MAX_GAIN_SLIDER * 1000),
      (value) => (value / 1000 * MAX_GAIN_SLIDER).toFixed(2),
      (value) => this.send({ op: 'set', gain: value / 1000 * MAX_GAIN_SLIDER }));
    this.sliders.replaceChildren(...this.frequencySliders.map((s) => s.row), this.gainSlider.row);
    this.enableSliders(this.socket?.readyState === WebSocket.OPEN);
  }

  slider(label, name, min, max, value, format, onInput) {
    const row = document.createElement('label');
    row.className = 'snp-row';
    const caption = document.createElement('span');
    caption.textContent = label;
    const input = document.createElement('input');
    Object.assign(input, { type: 'range', min, max, step: 1, value });
    input.name = name;
    const shown = document.createElement('output');
    shown.textContent = format(value);
    input.addEventListener('input', () => {
      shown.textContent = format(Number(input.value));
      this.noteChange();
      onInput(Number(input.value));
    });
    // While the user drags a slider, broadcasts must not yank it back.
    input.addEventListener('pointerdown', () => this.dragging.add(input));
    input.addEventListener('pointerup', () => this.dragging.delete(input));
    input.addEventListener('change', () => this.dragging.delete(input));
    row.append(caption, input, shown);
    return { row, input, set: (v) => { if (!this.dragging.has(input)) { input.value = v; shown.textContent = format(v); } } };
  }

  enableSliders(enabled) {
    for (const { input } of [...this.frequencySliders, this.gainSlider]) {
      input.disabled = !enabled;
    }
  }

  showParameters(params) {
    if (params.components.length !== this.frequencySliders.length) {
      this.buildSliders(params.components, params.gain);
      return;
    }
    params.components.forEach((component, index) => this.frequencySliders[index].set(toSlider(component.frequency)));
    this.gainSlider.set(Math.round(params.gain / MAX_GAIN_SLIDER * 1000));
  }

  setStatus(text) {
    this.statusText = text;
    this.status.textContent = text;
  }

  refreshStatus() {
    if (!this.connected) return;
    const rate = this.context.sampleRate;
    const bufferedMs = this.queued() / rate * 1000;
    const latency = median(this.latencies);
    this.setStatus(`connected · ${rate} Hz · ${this.blockSize}-sample blocks · buffered ${bufferedMs.toFixed(0)} ms` +
      ` · underruns ${this.stats.underruns} · late ${this.stats.late}` +
      (Number.isNaN(latency) ? '' : ` · slider→sound ${latency.toFixed(0)} ms`));
  }

  get stats() {
    const rate = this.context?.sampleRate ?? 0;
    return {
      connected: !!this.connected,
      sampleRate: rate,
      blockSize: this.blockSize,
      bufferedMs: rate ? this.queued() / rate * 1000 : 0,
      targetMs: this.targetMs,
      floorMs: this.floorMs,
      underruns: this.ring.underruns,
      late: this.ring.late,
      overflows: this.ring.overflows,
      blocksReceived: this.received,
      latenciesMs: [...this.latencies],
      changesHeard: this.changesHeard ?? 0,
      status: this.statusText,
    };
  }

  resetCounters() {
    this.granted = 0;
    this.received = 0;
    this.pushed = 0;             // samples ever handed to this audio graph's ring
    this.ring = { offered: 0, consumed: 0, buffered: 0, underruns: 0, late: 0, overflows: 0 };  // its last report
  }

  // ----- audio graph ----------------------------------------------------------------------------------------

  async play() {
    if (!this.userStopped) return;
    this.userStopped = false;
    this.resetCounters();
    const options = { latencyHint: 'interactive' };
    if (this.config.sampleRate) options.sampleRate = this.config.sampleRate;
    this.context = new AudioContext(options);
    const resumed = this.context.resume();   // inside the click: browsers and VS Code need a user gesture
    this.setStatus('starting audio…');
    try {
      await this.buildGraph();
      await resumed;
    } catch (error) {
      this.setStatus(`audio failed: ${error.message}`);
      this.release();
      return;
    }
    this.connect();
  }

  async buildGraph() {
    const { context } = this;
    const capacity = 1 << Math.ceil(Math.log2(context.sampleRate * RING_SECONDS));
    if (context.audioWorklet) {
      const url = URL.createObjectURL(new Blob([this.config.workletSource], { type: 'text/javascript' }));
      try {
        await context.audioWorklet.addModule(url);
      } finally {
        URL.revokeObjectURL(url);
      }
      const node = new AudioWorkletNode(context, 'synth-notebook-player', {
        numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1], processorOptions: { capacity },
      });
      node.port.onmessage = (event) => this.onRingReport(event.data);
      this.output = node;
      this.sink = {
        push: (samples, buffer) => node.port.postMessage({ type: 'block', samples }, [buffer]),
        send: (message) => node.port.postMessage(message),
      };
    } else {
      // Only where AudioWorklet is missing (an insecure http page): the deprecated node, same ring.
      const ring = new SampleRing(capacity);
      const node = context.createScriptProcessor(1024, 0, 1);
      node.onaudioprocess = (event) => {
        ring.pull(event.outputBuffer.getChannelData(0));
        this.onRingReport(ring.report());
      };
      this.output = node;
      this.sink = {
        push: (samples) => ring.push(samples),
        send: (message) => ring.receive(message),
      };
    }
    // Tests (and tools) may put nodes between the player and the speakers before the first sample plays.
    const waits = [];
    const detail = { context, output: this.output, destination: context.destination, waitUntil: (p) => waits.push(p) };
    this.root.dispatchEvent(new CustomEvent('synthplayer:graph', { bubbles: true, detail }));
    await Promise.all(waits);
    this.output.connect(detail.destination);
  }

  stop() {
    if (this.userStopped) return;
    this.userStopped = true;
    clearTimeout(this.reconnectTimer);
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close(1000, 'stopped');
      this.socket = null;
    }
    this.connected = false;
    this.release();
    this.enableSliders(false);
    this.setStatus('stopped: press Play');
  }

  release() {
    this.sink?.send({ type: 'close' });
    this.output?.disconnect();
    this.context?.close();
    this.output = this.sink = null;
    this.userStopped = true;
  }

  // ----- socket and flow control ----------------------------------------------------------------------------

  connect() {
    const socket = new WebSocket(this.config.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({
      op: 'hello', version: PROTOCOL_VERSION, token: this.config.token,
      sampleRate: this.context.sampleRate, blockSize: this.config.blockSize,
    }));
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') this.onText(JSON.parse(event.data));
      else this.onBlock(event.data);
    };
    socket.onclose = (event) => this.onClose(event);
  }

  send(message) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  onText(message) {
    switch (message.op) {
      case 'welcome':
        this.connected = true;
        this.reconnectAttempt = 0;
        this.blockSize = message.blockSize;
        this.maxCredits = message.maxCredits;
        this.granted = this.received = 0;
        this.sink.send({ type: 'resume' });
        this.targetMs = Math.max(this.floorMs, WARMUP_TARGET_MS);
        this.calmSince = performance.now();
        this.configureCushion();
        this.showParameters(message.params);
        this.enableSliders(true);
        this.requestBlocks();
        this.refreshStatus();
        break;
      case 'params':
        if (this.pendingChange && this.pendingChange.version === undefined) this.pendingChange.version = message.version;
        this.showParameters(message);
        break;
      case 'error':
        console.warn(`SynthNotebook: ${message.code}: ${message.message}`);
        this.setStatus(`server said: ${message.message}`);
        break;
    }
  }

  onBlock(buffer) {
    if (!this.sink) return;      // stopped while the block was on its way
    const header = new DataView(buffer, 0, HEADER_BYTES);
    const version = header.getUint32(8, true);
    const count = header.getUint32(12, true);
    const samples = new Float32Array(buffer, HEADER_BYTES, count);
    this.received++;
    const change = this.pendingChange;
    if (change && change.version !== undefined && version >= change.version) {
      // Heard after: the time until this block arrived, plus the audio queued in front of it.
      const queuedMs = this.queued() / this.context.sampleRate * 1000;
      this.latencies.push(performance.now() - change.sentAt + queuedMs);
      this.changesHeard = (this.changesHeard ?? 0) + 1;
      if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
      this.pendingChange = null;
    }
    this.pushed += count;
    this.sink.push(samples, buffer);
    this.requestBlocks();
  }

  noteChange() {
    if (!this.pendingChange) this.pendingChange = { sentAt: performance.now() };
  }

  onRingReport(report) {
    const now = performance.now();
    if (report.underruns > this.ring.underruns && this.connected) {
      // The cushion was too thin for this machine: grow it, and never thin it that far again.
      this.floorMs = Math.min(MAX_TARGET_MS, this.floorMs * 1.25 + 2);
      this.targetMs = Math.min(MAX_TARGET_MS, this.targetMs * 1.5 + 5);
      this.calmSince = now;
      this.configureCushion();
    } else if (this.connected && this.targetMs > this.floorMs && now - this.calmSince > SETTLE_AFTER_MS) {
      const elapsed = now - (this.lastSettle ?? now);
      this.targetMs = Math.max(this.floorMs, this.targetMs - SETTLE_MS_PER_S * elapsed / 1000);
    }
    this.lastSettle = now;
    this.ring = report;
    this.requestBlocks();
    if (now - this.lastRefresh > 250) {
      this.lastRefresh = now;
      this.refreshStatus();
    }
  }

  configureCushion() {
    const targetSamples = this.targetMs / 1000 * this.context.sampleRate;
    this.sink.send({ type: 'configure', startSamples: Math.round(targetSamples * 0.75) });
  }

  inFlight() { return this.granted - this.received; }

  // Samples waiting to be played: in the ring at its last report, plus those posted to it since.
  queued() { return this.ring.buffered + (this.pushed - this.ring.offered); }

  ahead() { return this.queued() + this.inFlight() * this.blockSize; }

  requestBlocks() {
    if (!this.connected || this.socket?.readyState !== WebSocket.OPEN) return;
    const target = this.targetMs / 1000 * this.context.sampleRate;
    const wanted = Math.ceil((target - this.ahead()) / this.blockSize);
    const blocks = Math.min(wanted, this.maxCredits - this.inFlight());
    if (blocks > 0) {
      this.granted += blocks;
      this.socket.send(JSON.stringify({ op: 'credit', blocks }));
    }
  }

  onClose(event) {
    this.connected = false;
    this.socket = null;
    this.enableSliders(false);
    this.sink?.send({ type: 'pause' });
    if (this.userStopped) return;
    const reason = `${event.code}${event.reason ? ` ${event.reason}` : ''}`;
    console.info(`SynthNotebook: connection closed: ${reason}`);
    if (event.code === 1008 || event.code === 1002 || event.code === 1007) {
      this.setStatus(`refused by the server (${reason}): re-run the cell that shows the player`);
      this.release();
      return;
    }
    const delay = Math.min(5000, 250 * 2 ** this.reconnectAttempt++);
    this.setStatus(`disconnected (${reason || 'no answer'}): reconnecting in ${(delay / 1000).toFixed(2)} s` +
      ` (attempt ${this.reconnectAttempt})`);
    this.reconnectTimer = setTimeout(() => { if (!this.userStopped) this.connect(); }, delay);
  }
}

function mountSynthPlayer(root, config) {
  return new SynthPlayer(root, config);
}
