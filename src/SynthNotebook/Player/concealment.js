// Underrun concealment: a ring that runs dry fades its last quantum out instead of stopping dead, and fades the next
// one in when audio returns, so an underrun is a dip, not a click. A linear ramp over one quantum (128 samples: 2.7 ms
// at 48 kHz) reaches exactly zero on its last sample going out and exactly full on its last sample coming in; the
// tests that judge what was played (PlayedAudio.cs) undo exactly these ramps.

// The gain of sample k (0-based) of a fade over `length` samples.
export const fadeOutGain = (k, length) => 1 - (k + 1) / length;
export const fadeInGain = (k, length) => (k + 1) / length;

export function fadeOut(samples) {
  for (let k = 0; k < samples.length; k++) samples[k] *= fadeOutGain(k, samples.length);
}

export function fadeIn(samples) {
  for (let k = 0; k < samples.length; k++) samples[k] *= fadeInGain(k, samples.length);
}
