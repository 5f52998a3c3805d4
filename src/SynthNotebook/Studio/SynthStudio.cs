using System.Net;
using SynthNotebook.Notebook;
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Studio;

/// <summary>
/// SynthNotebook without a notebook: a server whose page shows what the program shows, as it runs, rendered exactly as
/// a notebook renders the same values (<see cref="NotebookViews"/>). From a file-based app:
/// <code>
/// var synth = new Synth();
/// return await SynthStudio.RunAsync(args, synth, async studio =>
/// {
///     studio.Show(synth);                     // the player: Play/Stop, a slider per component
///     studio.Show(Plot.GluedBlocks(synth));   // a chart, drawn with plotly.js from the server itself
/// });
/// </code>
/// </summary>
public sealed class SynthStudio : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    private SynthStudio(SynthServer server, string title)
    {
        Server = server;
        server.Page.Title = title;
        server.Page.ShowsPlayer = false;
        // Charts find plotly.js on the page, served by this server: they draw offline.
        server.Page.AddScript($"/plotly-{PlotlyEngine.PlotlyJsVersion()}.min.js", PlotlyEngine.PlotlyJsSource);
    }

    /// <summary>The server streaming the studio's synth; its page is the studio.</summary>
    public SynthServer Server { get; }

    /// <summary>The studio page, with the token: open it in a browser.</summary>
    public Uri Url => Server.PageUrl;

    /// <summary>Canceled when the studio stops (Ctrl+C, SIGTERM, <see cref="DisposeAsync"/>): for a program's waits.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>
    /// A studio as a program's main job: reads <paramref name="args"/> (<c>--port N</c>, <c>--open</c>, <c>--help</c>),
    /// starts, prints the page's URL (and offers to open it where a desktop browser exists), runs
    /// <paramref name="program"/>, and serves until Ctrl+C or SIGTERM. Returns the exit code: 0 after a clean stop, 1 when
    /// the program threw (the error is on the page and stderr), 2 for bad arguments or a port another program holds.
    /// </summary>
    public static Task<int> RunAsync(string[] args, Synth synth, Func<SynthStudio, Task> program, string title = "SynthNotebook studio")
        => StudioProgram.RunAsync(args, synth, program, title);

    /// <summary>Starts a studio for <paramref name="synth"/> and returns once its server listens.</summary>
    /// <exception cref="PortUnavailableException">The port asked for is held by another program.</exception>
    public static async Task<SynthStudio> StartAsync(Synth synth, string title = "SynthNotebook studio", SynthServerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        var server = await SynthServer.StartAsync(synth, options);
        return new SynthStudio(server, title);
    }

    /// <summary>
    /// Appends <paramref name="value"/> to the page, as a notebook would show it: a synth as its player, a chart, a
    /// rendered sound, the server's card, the microphone player. A string is a paragraph (a heading when it starts with
    /// "# "); anything else its text.
    /// </summary>
    public void Show(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Server.Page.Append(value switch
        {
            string text when text.StartsWith("# ", StringComparison.Ordinal) =>
                $"<h2 class=\"studio-heading\">{WebUtility.HtmlEncode(text[2..])}</h2>",
            string text => $"<p class=\"studio-text\">{WebUtility.HtmlEncode(text)}</p>",
            _ => NotebookViews.Html(value) ?? $"<pre class=\"studio-text\">{WebUtility.HtmlEncode(value.ToString())}</pre>",
        });
    }

    /// <summary>Appends HTML of your own (its scripts run, under the page's nonce).</summary>
    public void ShowHtml(string html) => Server.Page.Append(html);

    /// <summary>Completes when the first player connects (someone pressed Play); canceled when the studio stops.</summary>
    public Task FirstListenerAsync() => Server.Statistics.FirstListener.WaitAsync(Stopping);

    /// <summary>Stops the server (its players are told) and cancels <see cref="Stopping"/>. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }
        await Server.StopAsync();
    }
}
