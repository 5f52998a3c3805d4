// The player's audio: the AudioContext, the ring's node (an AudioWorklet; a ScriptProcessorNode where AudioWorklet is
// missing), the microphone and its worklet in duplex mode, and the scopes. It is built on Play and torn down on Stop.

import { SampleRing } from './sample-ring.js';

const RING_SECONDS = 2;
const SCRIPT_PROCESSOR_FRAMES = 1024;   // the fallback node pulls this many at once…
const SCRIPT_PROCESSOR_FLOOR_PULLS = 3; // …so its cushion never thins below three pulls (the ring underran at 24 ms, and at two)

export class AudioGraph {
  // Call inside the user's click: browsers and VS Code start audio only from a gesture.
  constructor(root, config, scopes) {
    this.root = root;
    this.config = config;
    this.duplex = config.mode === 'duplex';
    const options = { latencyHint: 'interactive' };
    if (config.sampleRate) options.sampleRate = config.sampleRate;
    this.context = new AudioContext(options);
    this.resumed = this.context.resume();
    this.scopes = scopes;        // the widget's, one per canvas (scope.js): attached to this graph while it lives
    this.output = null;          // the ring's node
    this.stream = null;          // the microphone's MediaStream
    this.micNode = null;
    this.micSource = null;
    this.monitorGain = null;     // duplex: what comes back passes it to the speakers ("hear it here")
  }

  get sampleRate() { return this.context.sampleRate; }

  get fallback() { return this.output instanceof ScriptProcessorNode; }

  async openMicrophone(constraints) {
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new DOMException('this page has no navigator.mediaDevices (an insecure page, or a webview that forbids it)', 'NotSupportedError');
    }
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: constraints });
  }

  // The ring's node (fed over ringPort) → the speakers and the output scope; in duplex the microphone → micPort.
  async build(ringPort, micPort) {
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
    // Duplex: what comes back passes a gain the page's "hear it here" sets, then the speakers; the scope shows it
    // before that gain, so it is seen either way.
    if (this.duplex) this.monitorGain = context.createGain();
    const played = this.monitorGain ?? this.output;
    const detail = { context, output: played, destination: context.destination, waitUntil: (p) => waits.push(p) };
    this.root.dispatchEvent(new CustomEvent('synthplayer:graph', { bubbles: true, detail }));
    await Promise.all(waits);
    if (this.monitorGain) this.output.connect(this.monitorGain);
    played.connect(detail.destination);
    this.output.connect(this.scopes.at(-1).attach(context));
    await this.resumed;
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

  // What the link needs of the device: the least cushion (the fallback node's pulls need three) and how much the
  // device takes at once (the fallback node its pulls, a worklet the context's callback buffer).
  cushionSettings() {
    const { sampleRate } = this.context;
    const pullMs = SCRIPT_PROCESSOR_FRAMES / sampleRate * 1000;
    const floorMs = this.duplex ? this.config.duplexLatencyMs
      : this.fallback ? Math.max(this.config.targetLatencyMs, SCRIPT_PROCESSOR_FLOOR_PULLS * pullMs) : this.config.targetLatencyMs;
    const callbackMs = this.fallback ? pullMs : Math.max(128 / sampleRate, this.context.baseLatency ?? 0) * 1000;
    const rewoundFloorMs = this.duplex ? 0 : this.config.rewoundCushionMs;
    return { sampleRate, floorMs, rewoundFloorMs, callbackMs };
  }

  // What the measured latencies leave out, as the browser estimates it: the output path (the context's base latency
  // plus the device's), and in duplex the microphone's input latency.
  deviceLatencyMs() {
    const input = this.stream?.getAudioTracks()[0]?.getSettings().latency ?? 0;
    return ((this.context.baseLatency ?? 0) + (this.context.outputLatency ?? 0) + input) * 1000;
  }

  // Duplex: plays what comes back, or not (the scope shows it either way), gliding over ~5 ms so neither way clicks.
  monitor(on) {
    this.monitorGain?.gain.setTargetAtTime(on ? 1 : 0, this.context.currentTime, 0.005);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.output?.port?.postMessage({ type: 'close' });
    this.output?.disconnect();
    this.micNode?.port.postMessage({ type: 'close' });
    this.micNode?.disconnect();
    this.micSource?.disconnect();
    this.stream?.getTracks().forEach((track) => track.stop());
    this.scopes.forEach((scope) => scope.detach());
    this.monitorGain?.disconnect();
    this.micNode = this.micSource = this.stream = this.output = this.monitorGain = null;
    this.context.close();
  }
}
