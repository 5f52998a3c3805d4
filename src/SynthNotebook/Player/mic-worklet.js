// The AudioWorklet side of the microphone (in the worklet module, worklets.js): it cuts the microphone's render
// quanta into blocks of the connection's block size and posts each, with the audio frame of its first sample, to the
// stream link over the MessagePort it is given. The link sends the block upstream and, when the processed block comes
// back and plays, measures the round trip against that frame (docs/protocol.md, "Duplex").
class SynthNotebookMicProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.blockSize = options.processorOptions.blockSize;
    this.block = new Float32Array(this.blockSize);
    this.filled = 0;
    this.blockFrame = 0;
    this.link = null;
    this.alive = true;
    this.port.onmessage = (event) => {
      if (event.data.type === 'attach') this.link = event.data.port;
      else if (event.data.type === 'close') this.alive = false;
    };
  }

  process(inputs) {
    const input = inputs[0][0];
    if (!input || !this.link) return this.alive;   // no microphone samples yet, or nowhere to send them
    for (let offset = 0; offset < input.length;) {
      if (this.filled === 0) this.blockFrame = currentFrame + offset;
      const count = Math.min(input.length - offset, this.blockSize - this.filled);
      this.block.set(input.subarray(offset, offset + count), this.filled);
      this.filled += count;
      offset += count;
      if (this.filled === this.blockSize) {
        this.link.postMessage({ type: 'mic', samples: this.block, frame: this.blockFrame }, [this.block.buffer]);
        this.block = new Float32Array(this.blockSize);
        this.filled = 0;
      }
    }
    return this.alive;
  }
}

registerProcessor('synth-notebook-mic', SynthNotebookMicProcessor);
