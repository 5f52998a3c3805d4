// The SynthNotebook player widget: `mountSynthPlayer(root, config)` makes one per element, with no globals. It ties
// together the view (player-view.js), the audio graph (audio-graph.js) and the stream link, which owns the socket and
// the credits (stream-link.js, in a Worker where the page allows one, so a busy page cannot starve the ring), and
// handles the link's messages: the server's welcome and parameters, the stats, and closes, after which it reconnects.

import { AudioGraph } from './audio-graph.js';
import { PlayerView, describe } from './player-view.js';
import { SynthScope } from './scope.js';
import { StreamLink, clockMs } from './stream-link.js';

const GOING_AWAY = 1001;                // the server's close when it stops
const REFUSED = [1002, 1007, 1008];     // closes a retry cannot mend
const RETRY_LIMIT_MS = 10 * 60 * 1000;  // a server gone this long is not tried again until Play

class SynthPlayer {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.duplex = config.mode === 'duplex';
    this.view = new PlayerView(root, config, {
      play: () => this.play(),
      stop: () => this.stop(),
      change: (message) => this.sendChange(message),
      monitor: (on) => this.graph?.monitor(on),
    });
    this.scopes = this.view.canvases.map((canvas) => new SynthScope(canvas, canvas.dataset.scope));
    this.graph = null;           // the audio, while playing
    this.link = null;            // { command(message), dispose() }: the StreamLink, in a Worker or on the page
    this.connected = false;
    this.userStopped = true;
    this.reconnectAttempt = 0;
    this.reconnectTimer = 0;
    this.serverStopped = false;  // the server said it is stopping (1001): wait for it quietly
    this.source = null;          // { name, error } of the patch playing, as the server last said
    this.lostAt = 0;             // when the connection was lost (0: connected)
    this.reconnects = 0;         // connections regained after a loss
    this.linkStats = {};         // the link's newest figures
    this.setStatus('stopped: press Play');
    root.synthPlayer = this;     // for tests and curious users; nothing is put on window
  }

  setStatus(text) {
    this.statusText = text;
    this.view.setStatus(text);
  }

  get stats() {
    return {
      bufferedMs: 0, targetMs: 0, cushionWhy: '', underruns: 0, concealed: 0, late: 0, overflows: 0, blocksReceived: 0,
      latenciesMs: [], changesHeard: 0, roundTripMs: [], upstreamBlocks: 0, skipped: 0, mode: this.duplex ? 'duplex' : 'synth',
      ...this.linkStats,
      connected: this.connected,
      reconnects: this.reconnects,
      retries: this.reconnectAttempt,
      serverStopped: this.serverStopped,
      sampleRate: this.graph?.sampleRate ?? 0,
      deviceMs: this.graph?.deviceLatencyMs() ?? 0,
      status: this.statusText,
      source: this.source?.name ?? '',
      sourceError: this.source?.error ?? null,
    };
  }

  async play() {
    if (!this.userStopped) return;
    this.userStopped = false;
    this.serverStopped = false;
    this.lostAt = 0;
    this.link?.dispose();                    // a link still closing from an earlier Stop
    this.linkStats = {};
    this.graph = new AudioGraph(this.root, this.config, this.scopes);   // inside the click
    this.setStatus(this.duplex ? 'asking for the microphone…' : 'starting audio…');
    if (this.duplex) {
      try {
        await this.graph.openMicrophone(this.view.microphoneConstraints());
      } catch (error) {
        this.refuseMicrophone(error);
        this.release();
        return;
      }
    }
    try {
      const channel = new MessageChannel();  // link ⇄ ring, past the page's event loop
      const micChannel = this.duplex ? new MessageChannel() : null;   // mic worklet → link
      await this.graph.build(channel.port1, micChannel?.port1);
      if (this.duplex) this.graph.monitor(this.view.monitorBox.checked);   // as the box was left, across Stop and Play
      this.link = this.startLink(channel.port2);
      if (micChannel) this.link.command({ type: 'attachMic', port: micChannel.port2 }, [micChannel.port2]);
    } catch (error) {
      this.setStatus(`audio failed: ${error.message}`);
      this.release();
      return;
    }
    this.connect();
  }

  // VS Code notebook webviews may not use the microphone (microsoft/vscode#119127): point to the server's own page.
  refuseMicrophone(error) {
    this.setStatus(`microphone unavailable: ${error.name}: ${error.message}`);
    const link = document.createElement('a');
    link.href = this.config.duplexPageUrl;
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = this.config.duplexPageUrl.replace(/token=.*/, 'token=…');
    this.view.showNotice('This page may not use the microphone. Open the server\'s own page, where it works: ', link);
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
    this.view.enableSliders(false);
    this.setStatus('stopped: press Play');
  }

  // The graph closes but stays, so a stopped player still tells its sample rate (and tests can see its context closed).
  release() {
    this.graph?.close();
    this.userStopped = true;
  }

  get context() { return this.graph?.context ?? null; }

  get output() { return this.graph?.output ?? null; }

  connect() {
    this.link.command({
      type: 'connect', url: this.config.url, token: this.config.token, blockSize: this.config.blockSize,
      maxPace: this.config.maxPace, mode: this.duplex ? 'duplex' : 'synth', ...this.graph.cushionSettings(),
    });
  }

  sendChange(message) {
    if (this.connected) this.link.command({ type: 'send', message, sentAt: clockMs() });
  }

  // Holds the link's deliveries for `ms`, as a stalled network would (tests; and to hear what concealment does).
  stall(ms) { this.link?.command({ type: 'stall', ms }); }

  // The link's record of recent deliveries, [ms, delay ms] each (a promise): what this machine does to the stream.
  deliveryTrace() {
    return new Promise((resolve) => {
      this.traceWaiter = resolve;
      this.link?.command({ type: 'trace' });
    });
  }

  onLinkMessage(message) {
    switch (message.type) {
      case 'text': this.onText(message.message); break;
      case 'stats':
        this.linkStats = message.stats;
        if (this.connected) this.setStatus(describe(this.stats));
        break;
      case 'closed': this.onClose(message); break;
      case 'trace':
        this.traceWaiter?.(message.trace);
        this.traceWaiter = null;
        break;
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
        this.view.hideNotice();
        this.view.showParameters(message.params);
        this.view.enableSliders(true);
        this.source = { name: message.source, error: null };
        this.view.showPatch(message);
        this.setStatus(describe(this.stats));
        break;
      case 'params':
        this.view.showParameters(message);
        break;
      case 'source':
        this.source = { name: message.name, error: message.error ?? null };
        this.view.showPatch(message);
        if (message.error) console.warn(`SynthNotebook: ${message.error}`);
        this.setStatus(describe(this.stats));
        break;
      case 'error':
        console.warn(`SynthNotebook: ${message.code}: ${message.message}`);
        this.setStatus(`server said: ${message.message}`);
        break;
    }
  }

  onClose({ code, reason: text }) {
    this.connected = false;
    this.view.enableSliders(false);
    if (this.userStopped) {
      this.link?.dispose();
      this.link = null;
      return;
    }
    const reason = `${code}${text ? ` ${text}` : ''}`;
    console.info(`SynthNotebook: connection closed: ${reason}`);
    if (REFUSED.includes(code)) {
      this.setStatus(`refused by the server (${reason}): re-run the cell that shows the player`);
      this.giveUp();
      return;
    }
    // After a 1001 the retries find no server (1006) until it is started again: the status keeps saying why.
    if (code === GOING_AWAY) this.serverStopped = true;
    this.lostAt ||= clockMs();
    if (clockMs() - this.lostAt > RETRY_LIMIT_MS) {
      this.setStatus(this.serverStopped ? 'the server stopped: press Play once it runs again'
        : `disconnected (${reason || 'no answer'}): press Play to try again`);
      this.giveUp();
      return;
    }
    const delay = Math.min(5000, 250 * 2 ** this.reconnectAttempt++);
    this.setStatus(this.serverStopped ? 'the server stopped: this player reconnects when it starts again'
      : `disconnected (${reason || 'no answer'}): reconnecting in ${(delay / 1000).toFixed(2)} s (attempt ${this.reconnectAttempt})`);
    this.reconnectTimer = setTimeout(() => { if (!this.userStopped) this.connect(); }, delay);
  }

  giveUp() {
    this.link?.dispose();
    this.link = null;
    this.release();
  }
}

export function mountSynthPlayer(root, config) {
  return new SynthPlayer(root, config);
}
