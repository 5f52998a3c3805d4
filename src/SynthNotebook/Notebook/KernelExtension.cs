using Microsoft.DotNet.Interactive.Formatting;
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Notebook;

/// <summary>
/// The one entry point the package's <c>interactive-extensions/dotnet/extension.dib</c> calls when a notebook loads
/// SynthNotebook. Everything the extension does happens here, so it is tested here.
/// </summary>
public static class KernelExtension
{
    private static int _registered;

    /// <summary>How many times <see cref="Load"/> registered the formatters: 1 once loaded, however often it runs.</summary>
    public static int Registrations => Volatile.Read(ref _registered);

    /// <summary>
    /// Registers the HTML formatters (once per process) and stops any server an earlier load left running, so that
    /// loading the extension again leaves no port behind. Servers also stop when the process exits. The next chart
    /// shown carries plotly.js (see <see cref="ChartHtml"/>).
    /// </summary>
    public static void Load()
    {
        StopServers();
        ChartHtml.StartNewPage();
        if (Interlocked.CompareExchange(ref _registered, 1, 0) != 0)
        {
            return;
        }
        Formatter.Register<SynthServer>((server, writer) => writer.Write(ServerCard.Html(server)), HtmlFormatter.MimeType);
        Formatter.Register<Synth>((synth, writer) => writer.Write(SynthCard.Html(synth)), HtmlFormatter.MimeType);
        Formatter.Register<DuplexPlayer>((player, writer) => writer.Write(player.Html()), HtmlFormatter.MimeType);
        Formatter.Register<SignalChart>((chart, writer) => writer.Write(ChartHtml.ForNotebook(chart.FigureJson)), HtmlFormatter.MimeType);
        // A sample buffer is a waveform (the seed plotted its buffers; a table of 4096 numbers says little).
        Formatter.Register<float[]>((samples, writer) => writer.Write(ChartHtml.ForNotebook(Plot.Waveform(samples).FigureJson)), HtmlFormatter.MimeType);
        UserPlotlyCharts.FormatWheneverLoaded();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopServers();
    }

    // Off the caller's thread: the kernel's synchronization context must not be blocked on.
    private static void StopServers() => Task.Run(SynthServer.StopAllAsync).GetAwaiter().GetResult();
}
