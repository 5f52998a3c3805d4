// The SynthNotebook player widget: Play/Stop, sliders, live scopes and the status line. One instance per widget
// element, no globals. Concatenated after sample-ring.js, cushion.js, stream-link.js and scope.js into the widget's script;
// `mountSynthPlayer(root, config)` is called last. Audio plays through an AudioWorklet (a ScriptProcessorNode where
// AudioWorklet is missing); the socket and the credits live in a StreamLink in a Worker, which feeds the worklet
// directly. In duplex mode the microphone goes through a second worklet to the same link, and comes back processed.

const MIN_FREQUENCY = 20;
const MAX_FREQUENCY = 20000;
const SLIDER_STEPS = 10000;
const MAX_GAIN_SLIDER = 2;
const RING_SECONDS = 2;
const SCRIPT_PROCESSOR_FRAMES = 1024;   // the fallback node pulls this many at once…
const SCRIPT_PROCESSOR_FLOOR_PULLS = 3; // …so its cushion never thins below three pulls (the ring underran at 24 ms, and at two)
const GOING_AWAY = 1001;                // the server's close when it stops
const RETRY_LIMIT_MS = 10 * 60 * 1000;  // a server gone this long is not tried again until Play

const toSlider = (frequency) => Math.round(SLIDER_STEPS * Math.log(Math.max(frequency, MIN_FREQUENCY) / MIN_FREQUENCY)
  / Math.log(MAX_FREQUENCY / MIN_FREQUENCY));
const fromSlider = (value) => MIN_FREQUENCY * Math.pow(MAX_FREQUENCY / MIN_FREQUENCY, value / SLIDER_STEPS);
const formatHz = (frequency) => frequency >= 1000 ? `${(frequency / 1000).toFixed(2)} kHz` : `${frequency.toFixed(1)} Hz`;
const percentile = (values, fraction) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
};
const median = (values) => percentile(values, 0.5);

class SynthPlayer {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.context = null;
    this.output = null;          // the player's node: AudioWorkletNode or ScriptProcessorNode
    this.link = null;            // { command(message), dispose() }: the StreamLink, in a Worker or on the page
    this.userStopped = true;
    this.reconnectAttempt = 0;
    this.reconnectTimer = 0;
    this.serverStopped = false;  // the server said it is stopping (1001): wait for it quietly
    this.lostAt = 0;             // when the connection was lost (0: connected)
    this.reconnects = 0;         // connections regained after a loss
    this.linkStats = {};         // the link's newest figures
    this.dragging = new Set();
    this.duplex = config.mode === 'duplex';
    this.stream = null;          // the microphone's MediaStream
    this.micNode = null;
    this.micSource = null;
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
      .synth-notebook-player .snp-status { font-family: ui-monospace, monospace; font-size: 12px; opacity: .85; }
      .synth-notebook-player .snp-mic { display: flex; gap: 12px; margin-bottom: 6px; }
      .synth-notebook-player .snp-notice { margin: 6px 0; padding: 6px; border-left: 3px solid #d98c00; }
      .synth-notebook-player canvas { width: 100%; height: 110px; display: block; margin-top: 6px; }`;
    const bar = document.createElement('div');
    bar.className = 'snp-bar';
    this.playButton = this.button('Play', () => this.play());
    this.stopButton = this.button('Stop', () => this.stop());
    this.status = document.createElement('span');
    this.status.className = 'snp-status';
    this.status.setAttribute('role', 'status');
    bar.append(this.playButton, this.stopButton, this.status);
    this.notice = document.createElement('div');
    this.notice.className = 'snp-notice';
    this.notice.hidden = true;
    this.sliders = document.createElement('div');
    root.append(style, bar, this.notice);
    if (this.duplex) root.append(this.microphoneOptions());
    root.append(this.sliders);
    this.scopes = (this.duplex ? ['microphone', 'output'] : ['output']).map((label) => {
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 110;
      canvas.dataset.scope = label;
      root.append(canvas);
      return new SynthScope(canvas, label);
    });
    this.buildSliders(components, gain);
  }

  // The browser's own voice processing, off by default: the chain in the kernel should get the raw signal.
  microphoneOptions() {
    const row = document.createElement('div');
    row.className = 'snp-mic';
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
        (value) => this.sendChange({ op: 'set', component: index, frequency: Math.round(fromSlider(value) * 100) / 100 }),
        formatHz(component.frequency)));
    this.gainSlider = this.slider('Gain', 'gain', 0, 1000, Math.round(gain / MAX_GAIN_SLIDER * 1000),
      (value) => (value / 1000 * MAX_GAIN_SLIDER).toFixed(2),
      (value) => this.sendChange({ op: 'set', gain: value / 1000 * MAX_GAIN_SLIDER }),
      gain.toFixed(2));
    this.sliders.replaceChildren(...this.frequencySliders.map((s) => s.row), this.gainSlider.row);
    this.enableSliders(!!this.connected);
  }

  // `format` shows a position the user dragged to; a value set from outside shows as itself (`text`), not as the
  // nearest of the slider's steps (250 Hz is no slider step: it would read 249.9).
  slider(label, name, min, max, value, format, onInput, text = format(value)) {
    const row = document.createElement('label');
    row.className = 'snp-row';
    const caption = document.createElement('span');
    caption.textContent = label;
    const input = document.createElement('input');
    Object.assign(input, { type: 'range', min, max, step: 1, value });
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
      this.frequencySliders[index].set(toSlider(component.frequency), formatHz(component.frequency)));
    this.gainSlider.set(Math.round(params.gain / MAX_GAIN_SLIDER * 1000), params.gain.toFixed(2));
  }

  setStatus(text) {
    this.statusText = text;
    this.status.textContent = text;
  }

  refreshStatus() {
    if (!this.connected) return;
    const s = this.stats;
    const latency = median(s.latenciesMs ?? []);
    const roundTrip = s.roundTripMs ?? [];
    const devices = s.deviceMs > 0 ? ` (+ devices ~${s.deviceMs.toFixed(0)} ms)` : '';
    this.setStatus(`connected · ${s.sampleRate} Hz · ${s.blockSize}-sample blocks · buffered ${s.bufferedMs.toFixed(0)} ms` +
      ` · underruns ${s.underruns} · late ${s.late}` +
      (Number.isNaN(latency) ? '' : ` · slider→sound ${latency.toFixed(0)} ms${this.duplex ? '' : devices}`) +
      (roundTrip.length === 0 ? '' :
        ` · mic→out p50 ${percentile(roundTrip, 0.5).toFixed(0)} ms, p95 ${percentile(roundTrip, 0.95).toFixed(0)} ms${devices}`) +
      (s.skipped > 0 ? ` · skipped ${(s.skipped / s.sampleRate * 1000).toFixed(0)} ms to keep up` : ''));
  }

  get stats() {
    return {
      bufferedMs: 0, underruns: 0, late: 0, overflows: 0, blocksReceived: 0, latenciesMs: [], changesHeard: 0,
      roundTripMs: [], upstreamBlocks: 0, skipped: 0, mode: this.duplex ? 'duplex' : 'synth',
      ...this.linkStats,
      connected: !!this.connected,
      reconnects: this.reconnects,
      retries: this.reconnectAttempt,
      serverStopped: this.serverStopped,
      sampleRate: this.context?.sampleRate ?? 0,
      deviceMs: this.deviceLatencyMs(),
      status: this.statusText,
    };
  }

  // What the measured latencies leave out, as the browser estimates it: the output path (the context's base latency
  // plus the device's), and in duplex the microphone's input latency.
  deviceLatencyMs() {
    const context = this.context;
    if (!context) return 0;
    const input = this.stream?.getAudioTracks()[0]?.getSettings().latency ?? 0;
    return ((context.baseLatency ?? 0) + (context.outputLatency ?? 0) + input) * 1000;
  }

  // ----- audio graph ----------------------------------------------------------------------------------------

  async play() {
    if (!this.userStopped) return;
    this.userStopped = false;
    this.serverStopped = false;
    this.lostAt = 0;
    this.link?.dispose();                    // a link still closing from an earlier Stop
    this.linkStats = {};
    const options = { latencyHint: 'interactive' };
    if (this.config.sampleRate) options.sampleRate = this.config.sampleRate;
    this.context = new AudioContext(options);
    const resumed = this.context.resume();   // inside the click: browsers and VS Code need a user gesture
    this.setStatus(this.duplex ? 'asking for the microphone…' : 'starting audio…');
    if (this.duplex) {
      try {
        this.stream = await this.openMicrophone();
      } catch (error) {
        this.refuseMicrophone(error);
        this.release();
        return;
      }
    }
    try {
      const channel = new MessageChannel();  // link ⇄ ring, past the page's event loop
      const micChannel = this.duplex ? new MessageChannel() : null;   // mic worklet → link
      await this.buildGraph(channel.port1, micChannel?.port1);
      this.link = this.startLink(channel.port2);
      if (micChannel) this.link.command({ type: 'attachMic', port: micChannel.port2 }, [micChannel.port2]);
      await resumed;
    } catch (error) {
      this.setStatus(`audio failed: ${error.message}`);
      this.release();
      return;
    }
    this.connect();
  }

  async openMicrophone() {
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new DOMException('this page has no navigator.mediaDevices (an insecure page, or a webview that forbids it)', 'NotSupportedError');
    }
    const audio = { channelCount: 1 };
    for (const box of this.constraintBoxes) audio[box.name] = box.checked;
    return navigator.mediaDevices.getUserMedia({ audio });
  }

  // VS Code notebook webviews may not use the microphone (microsoft/vscode#119127): point to the server's own page.
  refuseMicrophone(error) {
    this.setStatus(`microphone unavailable: ${error.name}: ${error.message}`);
    const link = document.createElement('a');
    link.href = this.config.duplexPageUrl;
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = this.config.duplexPageUrl.replace(/token=.*/, 'token=…');
    this.notice.replaceChildren('This page may not use the microphone. Open the server\'s own page, where it works: ', link);
    this.notice.hidden = false;
  }

  async buildGraph(ringPort, micPort) {
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
      node.port.postMessage({ type: 'attach', port: ringPort }, [ringPort]);
      this.output = node;
      if (micPort) this.buildMicrophone(micPort);
    } else if (this.duplex) {
      throw new Error('the microphone needs AudioWorklet, which this page lacks (it needs https or 127.0.0.1)');
    } else {
      // Only where AudioWorklet is missing (an insecure http page): the deprecated node, same ring, same port. When a
      // main-thread callback is late, Chromium's node plays one silent render quantum (2–15 per 3 s headless, with
      // 1024 to 4096 frames alike; the stream resumes where it was) or, more rarely, a quantum of its other buffer's
      // stale contents (the stream of two pulls before).
      const ring = new SampleRing(capacity);
      ringPort.onmessage = (event) => ring.receive(event.data);
      const node = context.createScriptProcessor(SCRIPT_PROCESSOR_FRAMES, 0, 1);
      node.onaudioprocess = (event) => {
        ring.pull(event.outputBuffer.getChannelData(0));
        ringPort.postMessage(ring.report());
      };
      this.output = node;
    }
    // Tests (and tools) may put nodes between the player and the speakers before the first sample plays.
    const waits = [];
    const detail = { context, output: this.output, destination: context.destination, waitUntil: (p) => waits.push(p) };
    this.root.dispatchEvent(new CustomEvent('synthplayer:graph', { bubbles: true, detail }));
    await Promise.all(waits);
    this.output.connect(detail.destination);
    this.output.connect(this.scopes.at(-1).attach(context));
  }

  // Microphone → mic worklet (blocks to the link) and → its scope. The worklet's silent output keeps it pulled.
  buildMicrophone(micPort) {
    const { context } = this;
    this.micSource = context.createMediaStreamSource(this.stream);
    this.micNode = new AudioWorkletNode(context, 'synth-notebook-mic', {
      numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], channelCount: 1, channelCountMode: 'explicit',
      processorOptions: { blockSize: this.config.blockSize },
    });
    this.micNode.port.postMessage({ type: 'attach', port: micPort }, [micPort]);
    this.micSource.connect(this.micNode);
    this.micSource.connect(this.scopes[0].attach(context));
    this.micNode.connect(context.destination);
  }

  // The link in a Worker where the page allows one, else on the page (same code, same messages).
  startLink(ringPort) {
    const receive = (message) => this.onLinkMessage(message);
    try {
      const url = URL.createObjectURL(new Blob([this.config.workerSource], { type: 'text/javascript' }));
      const worker = new Worker(url);
      URL.revokeObjectURL(url);
      worker.onmessage = (event) => receive(event.data);
      worker.postMessage({ type: 'attach', port: ringPort }, [ringPort]);
      return { command: (message, transfer = []) => worker.postMessage(message, transfer), dispose: () => worker.terminate() };
    } catch {
      const link = new StreamLink(receive);
      link.command({ type: 'attach', port: ringPort });
      return { command: (message) => link.command(message), dispose: () => {} };
    }
  }

  stop() {
    if (this.userStopped) return;
    this.userStopped = true;
    clearTimeout(this.reconnectTimer);
    this.link?.command({ type: 'close' });  // a clean 1000 close; the link is disposed when it reports 'closed'
    this.connected = false;
    this.release();
    this.enableSliders(false);
    this.setStatus('stopped: press Play');
  }

  release() {
    this.output?.port?.postMessage({ type: 'close' });
    this.output?.disconnect();
    this.micNode?.port.postMessage({ type: 'close' });
    this.micNode?.disconnect();
    this.micSource?.disconnect();
    this.stream?.getTracks().forEach((track) => track.stop());
    this.scopes.forEach((scope) => scope.detach());
    this.micNode = this.micSource = this.stream = null;
    this.context?.close();
    this.output = null;
    this.userStopped = true;
  }

  // ----- the link's messages and reconnecting ---------------------------------------------------------------

  connect() {
    const { sampleRate } = this.context;
    const floorMs = this.duplex ? this.config.duplexLatencyMs
      : this.output instanceof ScriptProcessorNode
        ? Math.max(this.config.targetLatencyMs, SCRIPT_PROCESSOR_FLOOR_PULLS * SCRIPT_PROCESSOR_FRAMES / sampleRate * 1000)
        : this.config.targetLatencyMs;
    // The device takes this much at once: the fallback node its pulls, a worklet the context's callback buffer.
    const callbackMs = this.output instanceof ScriptProcessorNode ? SCRIPT_PROCESSOR_FRAMES / sampleRate * 1000
      : Math.max(128 / sampleRate, this.context.baseLatency ?? 0) * 1000;
    this.link.command({
      type: 'connect', url: this.config.url, token: this.config.token, sampleRate,
      blockSize: this.config.blockSize, mode: this.duplex ? 'duplex' : 'synth', floorMs, callbackMs,
    });
  }

  sendChange(message) {
    if (this.connected) this.link.command({ type: 'send', message, sentAt: clockMs() });
  }

  onLinkMessage(message) {
    switch (message.type) {
      case 'text': this.onText(message.message); break;
      case 'stats':
        this.linkStats = message.stats;
        this.refreshStatus();
        break;
      case 'closed': this.onClose(message); break;
    }
  }

  onText(message) {
    switch (message.op) {
      case 'welcome':
        this.connected = true;
        this.reconnectAttempt = 0;
        if (this.lostAt) this.reconnects++;
        this.serverStopped = false;
        this.lostAt = 0;
        this.notice.hidden = true;
        this.showParameters(message.params);
        this.enableSliders(true);
        this.refreshStatus();
        break;
      case 'params':
        this.showParameters(message);
        break;
      case 'error':
        console.warn(`SynthNotebook: ${message.code}: ${message.message}`);
        this.setStatus(`server said: ${message.message}`);
        break;
    }
  }

  onClose({ code, reason: text }) {
    this.connected = false;
    this.enableSliders(false);
    if (this.userStopped) {
      this.link?.dispose();
      this.link = null;
      return;
    }
    const reason = `${code}${text ? ` ${text}` : ''}`;
    console.info(`SynthNotebook: connection closed: ${reason}`);
    if (code === 1008 || code === 1002 || code === 1007) {
      this.setStatus(`refused by the server (${reason}): re-run the cell that shows the player`);
      this.link?.dispose();
      this.link = null;
      this.release();
      return;
    }
    // After a 1001 the retries find no server (1006) until it is started again: the status keeps saying why.
    if (code === GOING_AWAY) this.serverStopped = true;
    this.lostAt ||= clockMs();
    if (clockMs() - this.lostAt > RETRY_LIMIT_MS) {
      this.setStatus(this.serverStopped ? 'the server stopped: press Play once it runs again'
        : `disconnected (${reason || 'no answer'}): press Play to try again`);
      this.link?.dispose();
      this.link = null;
      this.release();
      return;
    }
    const delay = Math.min(5000, 250 * 2 ** this.reconnectAttempt++);
    this.setStatus(this.serverStopped ? 'the server stopped: this player reconnects when it starts again'
      : `disconnected (${reason || 'no answer'}): reconnecting in ${(delay / 1000).toFixed(2)} s (attempt ${this.reconnectAttempt})`);
    this.reconnectTimer = setTimeout(() => { if (!this.userStopped) this.connect(); }, delay);
  }
}

function mountSynthPlayer(root, config) {
  return new SynthPlayer(root, config);
}
