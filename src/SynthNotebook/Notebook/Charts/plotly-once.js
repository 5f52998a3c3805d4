// Defines window.Plotly once per page (offline, no CDN): the extension's banner under the #r cell carries it, and the
// charts wait for it. plotly.min.js is a UMD bundle: under an AMD loader (Jupyter's RequireJS) it would register
// an anonymous module instead of setting window.Plotly, so `define` is hidden while it runs.
(function installPlotlyOnce(installPlotly) {
  if (typeof window.Plotly === 'undefined') {
    const amdDefine = window.define;
    window.define = undefined;
    try {
      installPlotly.call(window);
    } finally {
      window.define = amdDefine;
    }
  }
  window.dispatchEvent(new Event('synthnotebook:plotly'));
})(function () {
/* plotly.min.js */
});
