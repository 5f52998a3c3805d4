using SynthNotebook.Instruments;
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Notebook;

/// <summary>
/// The HTML of every value SynthNotebook shows: one renderer for its two hosts, a notebook (the kernel extension
/// registers it for <see cref="Types"/>) and a studio page.
/// </summary>
public static class NotebookViews
{
    /// <summary>The types <see cref="Html"/> renders.</summary>
    public static IReadOnlyList<Type> Types { get; } =
        [typeof(SynthServer), typeof(Synth), typeof(Instrument), typeof(DuplexPlayer), typeof(SignalChart), typeof(Sound), typeof(float[])];

    /// <summary>The value's HTML, or null for a type SynthNotebook does not render.</summary>
    public static string? Html(object value) => value switch
    {
        SynthServer server => ServerCard.Html(server),
        Synth synth => SynthCard.Html(synth),
        Instrument instrument => InstrumentCard.Html(instrument),
        DuplexPlayer player => player.Html(),
        SignalChart chart => ChartHtml.ForNotebook(chart.FigureJson),
        Sound sound => SoundView.Html(sound),
        // A sample buffer is a waveform (the seed plotted its buffers; a table of 4096 numbers says little).
        float[] samples => ChartHtml.ForNotebook(Plot.Waveform(samples).FigureJson),
        _ => null,
    };
}
