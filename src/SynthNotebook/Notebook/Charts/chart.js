// Draws one SynthNotebook chart into its div with the page's plotly.js, as soon as the page has it.
(function drawSynthNotebookChart(div, figure, plotlyMissingHelp) {
  // A figure with a size (a user's Plotly.NET chart) gets it; SynthNotebook's own fill the output's width.
  if (figure.layout.width) div.style.width = `${figure.layout.width}px`;
  if (figure.layout.height) div.style.height = `${figure.layout.height}px`;
  const draw = () => window.Plotly.newPlot(div, figure.data, figure.layout, { responsive: true, displaylogo: false });
  if (typeof window.Plotly !== 'undefined') {
    draw();
    return;
  }
  // plotly.js comes with the first chart of the kernel session; until then (or if that output was cleared) wait.
  const waitLimitMs = 15000;
  const timer = setTimeout(() => {
    window.removeEventListener('synthnotebook:plotly', onPlotly);
    div.textContent = plotlyMissingHelp;
  }, waitLimitMs);
  function onPlotly() {
    clearTimeout(timer);
    window.removeEventListener('synthnotebook:plotly', onPlotly);
    draw();
  }
  window.addEventListener('synthnotebook:plotly', onPlotly);
})
