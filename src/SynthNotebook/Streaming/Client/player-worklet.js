// The AudioWorklet side of the player (loaded from a Blob URL after sample-ring.js): it plays the ring and reports
// its state to the main thread every other render quantum, and at once after an underrun.
class SynthNotebookPlayerProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.ring = new SampleRing(options.processorOptions.capacity);
    this.quanta = 0;
    this.alive = true;
    this.port.onmessage = (event) => this.receive(event.data);
  }

  receive(message) {
    if (message.type === 'close') this.alive = false;
    else this.ring.receive(message);
  }

  process(inputs, outputs) {
    const underruns = this.ring.underruns;
    this.ring.pull(outputs[0][0]);
    if (++this.quanta % 2 === 0 || this.ring.underruns !== underruns) {
      this.port.postMessage(this.ring.report());
    }
    return this.alive;
  }
}

registerProcessor('synth-notebook-player', SynthNotebookPlayerProcessor);
