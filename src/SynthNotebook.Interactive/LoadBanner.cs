using System.Net;
using System.Reflection;
using SynthNotebook.Notebook.Charts;

namespace SynthNotebook.Interactive;

/// <summary>
/// What the <c>#r</c> cell shows once the extension loaded: what it is and the three lines that make a sound. It also
/// carries plotly.js, so every page that shows this notebook (fresh, reloaded, reopened, saved) has it once.
/// </summary>
internal static class LoadBanner
{
    public static string Html()
    {
        var version = typeof(LoadBanner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? "?";
        return $"""
            <div class="synthnotebook-banner" style="font: 13px system-ui, sans-serif; max-width: 640px">
            <b>SynthNotebook {WebUtility.HtmlEncode(version)}</b> loaded: a synth, its server and player, charts and the microphone path show as you run them. Make a sound:
            <pre style="margin: 4px 0">using SynthNotebook.Streaming; using SynthNotebook.Synthesis;
            var synth = new Synth();                // 5 sines, 200–400 Hz
            var server = SynthServer.Start(synth);  // streams it from 127.0.0.1
            synth                                   // the player: press Play</pre>
            </div>
            {ChartHtml.PlotlyJsScript()}
            """;
    }
}
