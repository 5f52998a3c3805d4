using System.Globalization;
using System.Text;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Notebook;

/// <summary>
/// A synth as a notebook shows it: the player with its sliders when a server streams it (the seed's <c>interact</c>
/// sliders and JavaScript cell in one), else its parameters and how to start a server.
/// </summary>
public static class SynthCard
{
    /// <summary>The player of the newest running server that streams <paramref name="synth"/>, or a parameter table.</summary>
    public static string Html(Synth synth)
    {
        ArgumentNullException.ThrowIfNull(synth);
        var server = SynthServer.Newest(s => ReferenceEquals(s.Synth, synth));
        if (server is not null)
        {
            return PlayerWidget.Html(server);
        }

        var parameters = synth.Parameters;
        var html = new StringBuilder();
        html.Append("""<div class="synth-notebook-synth" style="font: 13px system-ui, sans-serif; max-width: 640px">""");
        html.Append(CultureInfo.InvariantCulture,
            $"<b>Synth</b> · {synth.ComponentCount} components · {synth.SampleRate} Hz · blocks of {synth.BlockSize} · gain {parameters.Gain:0.###}");
        html.Append("<table><tr><th>component</th><th>frequency (Hz)</th><th>amplitude</th></tr>");
        for (var i = 0; i < parameters.Components.Length; i++)
        {
            var component = parameters.Components[i];
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{i}</td><td>{component.Frequency:0.##}</td><td>{component.Amplitude:0.###}</td></tr>");
        }
        html.Append("</table><i>No server streams this synth yet: <code>SynthServer.Start(synth)</code>, then show the synth again for its player.</i></div>");
        return html.ToString();
    }
}
