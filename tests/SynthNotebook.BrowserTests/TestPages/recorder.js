// Test-only: puts a recorder between every SynthNotebook player on the page and the speakers, before the first
// sample plays, and keeps what was PLAYED (not what was sent), with the audio frame at which recording began.
(() => {
  const processorSource = `
    class SynthNotebookRecorder extends AudioWorkletProcessor {
      constructor() { super(); this.first = true; }
      process(inputs, outputs) {
        const input = inputs[0][0];
        const output = outputs[0][0];
        if (input) output.set(input);
        const copy = input ? input.slice() : new Float32Array(output.length);
        this.port.postMessage({ frame: currentFrame, samples: copy }, [copy.buffer]);
        return true;
      }
    }
    registerProcessor('synth-notebook-recorder', SynthNotebookRecorder);`;

  const captures = [];
  window.__synthCaptures = captures;

  document.addEventListener('synthplayer:graph', (event) => {
    const { context } = event.detail;
    const capture = { context, startFrame: -1, chunks: [], frames: 0, moves: [] };
    captures.push(capture);
    event.detail.waitUntil((async () => {
      const url = URL.createObjectURL(new Blob([processorSource], { type: 'text/javascript' }));
      await context.audioWorklet.addModule(url);
      const recorder = new AudioWorkletNode(context, 'synth-notebook-recorder', {
        numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1],
        channelCount: 1, channelCountMode: 'explicit', channelInterpretation: 'discrete',
      });
      recorder.port.onmessage = (message) => {
        if (capture.frozen) return;
        if (capture.startFrame < 0) capture.startFrame = message.data.frame;
        capture.chunks.push(message.data.samples);
        capture.frames += message.data.samples.length;
      };
      recorder.connect(context.destination);
      event.detail.destination = recorder;
    })());
  });

  // The audio frame at which each slider of a player was moved, for latency measurement.
  document.addEventListener('input', (event) => {
    const root = event.target.closest('.synth-notebook-player');
    const capture = captures.find((c) => root?.synthPlayer?.context === c.context);
    if (capture) capture.moves.push(Math.round(capture.context.currentTime * capture.context.sampleRate));
  }, true);

  // Ends the measurement window of one capture: later audio is not kept, and what was kept is joined once, so that
  // pulling it into the test (heavy work for the page) happens after the window, not inside it.
  window.__synthCaptureFreeze = (index) => {
    const capture = captures[index];
    capture.frozen = true;
    capture.all = new Float32Array(capture.frames);
    let offset = 0;
    for (const chunk of capture.chunks) { capture.all.set(chunk, offset); offset += chunk.length; }
    return capture.frames;
  };

  window.__synthCaptureBase64 = (index, fromSample, count) => {
    const { all } = captures[index];
    const slice = all.subarray(fromSample, Math.min(all.length, fromSample + count));
    const bytes = new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength);
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  };
})();
