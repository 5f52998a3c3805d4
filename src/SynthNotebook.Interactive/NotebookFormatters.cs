using Microsoft.DotNet.Interactive.Formatting;
using SynthNotebook.Notebook;
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Interactive;

/// <summary>How a notebook shows SynthNotebook's values: the library renders the HTML, this only registers it.</summary>
internal static class NotebookFormatters
{
    private static int _registered;

    /// <summary>Registers the formatters, once per process; later calls do nothing.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) != 0)
        {
            return;
        }
        Formatter.Register<SynthServer>((server, writer) => writer.Write(ServerCard.Html(server)), HtmlFormatter.MimeType);
        Formatter.Register<Synth>((synth, writer) => writer.Write(SynthCard.Html(synth)), HtmlFormatter.MimeType);
        Formatter.Register<DuplexPlayer>((player, writer) => writer.Write(player.Html()), HtmlFormatter.MimeType);
        Formatter.Register<SignalChart>((chart, writer) => writer.Write(ChartHtml.ForNotebook(chart.FigureJson)), HtmlFormatter.MimeType);
        // A sample buffer is a waveform (the seed plotted its buffers; a table of 4096 numbers says little).
        Formatter.Register<Sound>((sound, writer) => writer.Write(SoundView.Html(sound)), HtmlFormatter.MimeType);
        Formatter.Register<float[]>((samples, writer) => writer.Write(ChartHtml.ForNotebook(Plot.Waveform(samples).FigureJson)), HtmlFormatter.MimeType);
        UserPlotlyCharts.FormatWheneverLoaded();
    }
}
