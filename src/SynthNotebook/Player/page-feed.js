// The server's page follows what its program shows (a studio's charts, cards, text): each item arrives on an
// EventSource as HTML and is appended, its scripts run as a notebook output's would. The browser reconnects by itself
// and says which item it saw last, so nothing comes twice; while the program is away the page says so.

// Script elements put in with innerHTML never run: each is remade (same attributes, same text, the page's nonce).
export function appendItem(container, html, nonce) {
  const item = document.createElement('section');
  item.className = 'studio-item';
  item.innerHTML = html;
  container.append(item);
  for (const inert of item.querySelectorAll('script')) {
    const script = document.createElement('script');
    for (const { name, value } of inert.attributes) script.setAttribute(name, value);
    script.nonce = nonce;
    script.textContent = inert.textContent;
    inert.replaceWith(script);
  }
  return item;
}

export function followPageFeed(container, state, url, nonce) {
  const source = new EventSource(url);
  const say = (text) => { state.textContent = text; state.dataset.state = text ? 'away' : 'live'; };
  source.addEventListener('item', (event) => {
    try {
      appendItem(container, event.data, nonce);
    } catch (error) {
      console.error('SynthNotebook: an item could not be shown', error);
    }
  });
  source.addEventListener('open', () => say(''));
  source.addEventListener('error', () => say('the program is not running: this page shows what it showed last'));
  return source;
}
