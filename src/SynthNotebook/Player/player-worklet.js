// The AudioWorklet side of the player (in the worklet module, worklets.js): it plays the ring, fed by the
// stream link over the MessagePort it is given, and reports its state to the link every other render quantum, and
// at once after an underrun. A report says at which audio frame its quantum ends, so the link can tell when a given
// sample played (the microphone's round trip).
import { SampleRing } from './sample-ring.js';

class SynthNotebookPlayerProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.ring = new SampleRing(options.processorOptions.capacity);
    this.quanta = 0;
    this.alive = true;
    this.link = null;
    this.port.onmessage = (event) => this.receive(event.data);
  }

  receive(message) {
    if (message.type === 'attach') {
      this.link = message.port;
      this.link.onmessage = (event) => this.ring.receive(event.data);
    } else if (message.type === 'close') {
      this.alive = false;
    }
  }

  process(inputs, outputs) {
    const underruns = this.ring.underruns;
    const out = outputs[0][0];
    this.ring.pull(out);
    if (++this.quanta % 2 === 0 || this.ring.underruns !== underruns) {
      const report = this.ring.report();
      report.frameEnd = currentFrame + out.length;
      this.link?.postMessage(report);
    }
    return this.alive;
  }
}

registerProcessor('synth-notebook-player', SynthNotebookPlayerProcessor);
