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

  // The recorder's own way to the AudioWorklet, kept before any test hides it from the page (the fallback test).
  const audioWorkletOf = Object.getOwnPropertyDescriptor(BaseAudioContext.prototype, 'audioWorklet').get;

  const captures = [];
  window.__synthCaptures = captures;

  document.addEventListener('synthplayer:graph', (event) => {
    const { context } = event.detail;
    // The audio is copied into one preallocated array (grown by doubling), not kept as a chunk per render quantum:
    // a long window would otherwise leave tens of thousands of small arrays for the page's collector to trace.
    const capture = { context, startFrame: -1, all: new Float32Array(1 << 22), frames: 0, moves: [], skips: [], skipped: 0, limit: Infinity, renderedFrame: 0 };
    captures.push(capture);
    event.detail.waitUntil((async () => {
      const url = URL.createObjectURL(new Blob([processorSource], { type: 'text/javascript' }));
      await audioWorkletOf.call(context).addModule(url);
      const recorder = new AudioWorkletNode(context, 'synth-notebook-recorder', {
        numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1],
        channelCount: 1, channelCountMode: 'explicit', channelInterpretation: 'discrete',
      });
      recorder.port.onmessage = (message) => {
        capture.renderedFrame = message.data.frame + message.data.samples.length;
        if (capture.frozen) return;
        if (capture.startFrame < 0) capture.startFrame = message.data.frame;
        // A render quantum the audio thread never ran (a stalled machine) leaves the frame clock ahead of the capture:
        // noted as [capture index, frames skipped], so a capture index maps back to the frame it was played at.
        const skipped = message.data.frame - (capture.startFrame + capture.frames + capture.skipped);
        if (skipped !== 0) {
          capture.skips.push([capture.frames, skipped]);
          capture.skipped += skipped;
        }
        const { samples } = message.data;
        const kept = capture.frames + samples.length > capture.limit ? samples.subarray(0, capture.limit - capture.frames) : samples;
        if (capture.frames + kept.length > capture.all.length) {
          const grown = new Float32Array(capture.all.length * 2);
          grown.set(capture.all);
          capture.all = grown;
        }
        capture.all.set(kept, capture.frames);
        capture.frames += kept.length;
        if (capture.frames >= capture.limit) capture.frozen = true;
      };
      recorder.connect(context.destination);
      event.detail.destination = recorder;
    })());
  });

  // For each slider move of a player, the last audio frame the page knew had been rendered: it was rendered before the
  // move, so move-to-sound measured from it is never early (at most late by the recorder's message trip).
  // (context.currentTime is no such bound: headless Chromium renders in bursts, and it led the frames the recorder
  // had seen rendered by up to 27 ms.)
  document.addEventListener('input', (event) => {
    const root = event.target.closest('.synth-notebook-player');
    const capture = captures.find((c) => root?.synthPlayer?.context === c.context);
    if (capture) capture.moves.push(capture.renderedFrame);
  }, true);

  // Ends the measurement window of one capture once it holds `frames` frames, wherever the test is by then: what the
  // test does after the window (pulling the audio out, reading stats) cannot land inside it.
  window.__synthCaptureUntil = (index, frames) => { captures[index].limit = frames; };

  // Ends the measurement window of one capture now: later audio is not kept.
  window.__synthCaptureFreeze = (index) => {
    captures[index].frozen = true;
    return captures[index].frames;
  };

  window.__synthCaptureBase64 = (index, fromSample, count) => {
    const { all, frames } = captures[index];
    const slice = all.subarray(fromSample, Math.min(frames, fromSample + count));
    const bytes = new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength);
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  };
})();
