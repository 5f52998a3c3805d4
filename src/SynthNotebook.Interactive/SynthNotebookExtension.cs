using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace SynthNotebook.Interactive;

/// <summary>
/// What .NET Interactive runs when a notebook says <c>#r "nuget: SynthNotebook"</c>: the formatters, the servers'
/// shutdown with the kernel, and a short banner under the <c>#r</c> cell (which also brings plotly.js to the page).
/// </summary>
public sealed class SynthNotebookExtension : IKernelExtension
{
    /// <inheritdoc />
    public Task OnLoadAsync(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        NotebookFormatters.Register();
        KernelShutdown.StopServersWhenItEnds(kernel);
        // While the user reads the banner; a failure shows with the first chart, where it can be acted on.
        _ = SynthNotebook.Notebook.Charts.ChartHtml.WarmUpAsync().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        // Inside OnLoadAsync the current context is the #r cell's: what is shown now appears under that cell.
        if (KernelInvocationContext.Current is { } context)
        {
            KernelInvocationContextExtensions.DisplayAs(context, LoadBanner.Html(), HtmlFormatter.MimeType);
        }
        return Task.CompletedTask;
    }
}
