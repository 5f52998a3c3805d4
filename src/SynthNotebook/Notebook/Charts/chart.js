// Draws one SynthNotebook chart into its div with the page's plotly.js, as soon as the page has it.
(function drawSynthNotebookChart(div, figure, plotlyJsUrl, plotlyMissingHelp) {
  // A figure with a size (a user's Plotly.NET chart) gets it; SynthNotebook's own fill the output's width.
  if (figure.layout.width) div.style.width = `${figure.layout.width}px`;
  if (figure.layout.height) div.style.height = `${figure.layout.height}px`;
  const draw = () => window.Plotly.newPlot(div, figure.data, figure.layout, { responsive: true, displaylogo: false });
  if (typeof window.Plotly !== 'undefined') {
    draw();
    return;
  }
  // The banner under the #r cell brings plotly.js; a page without that output (the cell re-run, its output cleared)
  // fetches it from the kernel's plotly.js server, once per page for all its charts.
  const missing = () => { div.textContent = plotlyMissingHelp; };
  const waitLimitMs = 15000;
  const timer = setTimeout(missing, waitLimitMs);
  window.addEventListener('synthnotebook:plotly', () => { clearTimeout(timer); draw(); }, { once: true });
  if (!plotlyJsUrl) return;
  window.__synthNotebookPlotlyFetch ??= fetch(plotlyJsUrl)
    .then((response) => { if (!response.ok) throw new Error(`${response.status}`); return response.text(); })
    .then((source) => {
      if (typeof window.Plotly !== 'undefined') return;
      // plotly.min.js is a UMD bundle: under an AMD loader (Jupyter's RequireJS) it would register a module instead of
      // setting window.Plotly, so `define` is hidden while it runs.
      const amdDefine = window.define;
      window.define = undefined;
      try { new Function(source).call(window); } finally { window.define = amdDefine; }
      window.dispatchEvent(new Event('synthnotebook:plotly'));
    });
  window.__synthNotebookPlotlyFetch.catch(() => { clearTimeout(timer); missing(); });
})
