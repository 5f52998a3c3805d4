// The Worker that runs the StreamLink (the player loads it from a Blob URL).
import { StreamLink } from './stream-link.js';

const workerLink = new StreamLink((message) => self.postMessage(message));
self.onmessage = (event) => workerLink.command(event.data);
