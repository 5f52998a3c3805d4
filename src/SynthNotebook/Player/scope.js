// A live scope for the player widget: on one canvas, the waveform (left) and the magnitude spectrum (right, dB over a
// logarithmic frequency axis) of whatever feeds its AnalyserNode. Drawn about 15 times a second, and only while the
// canvas is on screen: on two cores without a GPU, a full-rate redraw costs the audio path CPU it needs.
const SCOPE_FFT_SIZE = 2048;
const SCOPE_MIN_DB = -110;
const SCOPE_MAX_DB = -10;
const SCOPE_MIN_HZ = 20;
const SCOPE_FRAME_MS = 66;

export class SynthScope {
  constructor(canvas, label) {
    this.canvas = canvas;
    this.label = label;
    this.analyser = null;
    this.frame = 0;
    this.visible = true;
    this.lastDrawn = 0;
    if (typeof IntersectionObserver !== 'undefined') {
      new IntersectionObserver((entries) => { this.visible = entries.at(-1).isIntersecting; }).observe(canvas);
    }
  }

  // Makes the scope's AnalyserNode in a context; connect a node to the returned analyser to see it.
  attach(context) {
    this.analyser = context.createAnalyser();
    this.analyser.fftSize = SCOPE_FFT_SIZE;
    this.analyser.smoothingTimeConstant = 0.6;
    this.waveform = new Float32Array(this.analyser.fftSize);
    this.spectrum = new Float32Array(this.analyser.frequencyBinCount);
    const draw = (now) => {
      if (this.visible && now - this.lastDrawn >= SCOPE_FRAME_MS) {
        this.lastDrawn = now;
        this.draw(context.sampleRate);
      }
      this.frame = requestAnimationFrame(draw);
    };
    this.frame = requestAnimationFrame(draw);
    return this.analyser;
  }

  detach() {
    cancelAnimationFrame(this.frame);
    this.analyser?.disconnect();
    this.analyser = null;
  }

  draw(sampleRate) {
    const { canvas, analyser } = this;
    const g = canvas.getContext('2d');
    const width = canvas.width;
    const height = canvas.height;
    const half = width / 2;
    g.clearRect(0, 0, width, height);
    g.fillStyle = '#8881';
    g.fillRect(0, 0, half - 2, height);
    g.fillRect(half + 2, 0, half - 2, height);
    g.strokeStyle = '#3a7bd5';
    g.lineWidth = 1;

    analyser.getFloatTimeDomainData(this.waveform);
    g.beginPath();
    for (let i = 0; i < this.waveform.length; i++) {
      const x = (i / (this.waveform.length - 1)) * (half - 2);
      const y = height / 2 - Math.max(-1, Math.min(1, this.waveform[i])) * (height / 2 - 2);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    }
    g.stroke();

    analyser.getFloatFrequencyData(this.spectrum);
    const nyquist = sampleRate / 2;
    const logRange = Math.log(nyquist / SCOPE_MIN_HZ);
    g.beginPath();
    for (let bin = 1; bin < this.spectrum.length; bin++) {
      const hz = bin * nyquist / this.spectrum.length;
      if (hz < SCOPE_MIN_HZ) continue;
      const x = half + 2 + (Math.log(hz / SCOPE_MIN_HZ) / logRange) * (half - 2);
      const level = (Math.max(SCOPE_MIN_DB, Math.min(SCOPE_MAX_DB, this.spectrum[bin])) - SCOPE_MIN_DB) / (SCOPE_MAX_DB - SCOPE_MIN_DB);
      const y = height - level * height;
      if (bin === 1) g.moveTo(x, y); else g.lineTo(x, y);
    }
    g.stroke();
    g.fillStyle = '#888';
    g.font = '11px system-ui, sans-serif';
    g.fillText(`${this.label}: waveform`, 4, 12);
    g.fillText(`${this.label}: spectrum (20 Hz–${(nyquist / 1000).toFixed(0)} kHz, dB)`, half + 6, 12);
  }
}
