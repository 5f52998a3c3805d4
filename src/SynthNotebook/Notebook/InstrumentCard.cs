using System.Net;
using SynthNotebook.Instruments;
using SynthNotebook.Streaming;

namespace SynthNotebook.Notebook;

/// <summary>
/// An instrument as a notebook shows it: the player, with its keyboard, of the newest running server that plays it;
/// else what it is and how to hear it.
/// </summary>
public static class InstrumentCard
{
    /// <summary>The player of the newest running server whose source plays <paramref name="instrument"/>, or a short card.</summary>
    public static string Html(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var server = SynthServer.Newest(s => ReferenceEquals(s.Source.Instrument, instrument));
        if (server is not null)
        {
            return PlayerWidget.Html(server);
        }
        return $"""
            <div class="synth-notebook-instrument" style="font: 13px system-ui, sans-serif; max-width: 640px">
            <b>{WebUtility.HtmlEncode(instrument.Name)}</b> · {instrument.Polyphony} voices per listener · gain {instrument.Gain:0.###}<br>
            <i>No server plays it yet: give it to one (<code>server.Source = …;</code>), then show it again for its keyboard.
            <code>.Render(pattern)</code> plays it offline.</i>
            </div>
            """;
    }
}
