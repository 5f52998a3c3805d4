// The AudioWorklet module: the player's processor and the microphone's, registered together (one addModule).
import './player-worklet.js';
import './mic-worklet.js';
