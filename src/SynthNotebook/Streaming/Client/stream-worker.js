// The Worker that runs the StreamLink (loaded from a Blob URL after cushion.js and stream-link.js).
const workerLink = new StreamLink((message) => self.postMessage(message));
self.onmessage = (event) => workerLink.command(event.data);
