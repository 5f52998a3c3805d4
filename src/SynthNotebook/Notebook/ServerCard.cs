using System.Net;
using SynthNotebook.Streaming;

namespace SynthNotebook.Notebook;

/// <summary>A server as a notebook shows it: where it listens, who listens, how much it has sent.</summary>
public static class ServerCard
{
    /// <summary>A small HTML card; its figures are those of the moment it is rendered.</summary>
    public static string Html(SynthServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var statistics = server.Statistics;
        var state = server.IsRunning ? "running" : "stopped";
        var page = WebUtility.HtmlEncode(server.PageUrl.ToString());
        var note = server.PortNote is { } portNote ? $"<br><i>{WebUtility.HtmlEncode(portNote)}</i>" : "";
        var fault = server.LastSourceFault is { } sourceFault
            ? $"<br><b style=\"color: #c33\">source failed:</b> {WebUtility.HtmlEncode(sourceFault.Message)}" : "";
        return $"""
            <div class="synth-notebook-server" style="font: 13px system-ui, sans-serif; border: 1px solid #8884; border-radius: 6px; padding: 8px; max-width: 640px">
            <b>SynthNotebook server</b> · {state} on <code>{WebUtility.HtmlEncode(server.Address.ToString())}:{server.Port}</code><br>
            clients <span data-field="clients">{statistics.Clients}</span> ·
            connections <span data-field="connections">{statistics.Connections}</span> ·
            blocks sent <span data-field="blocks">{statistics.BlocksSent}</span> ·
            playing <span data-field="source">{WebUtility.HtmlEncode(server.Source.Name)}</span>{fault}<br>
            page: <a href="{page}" target="_blank" rel="noopener">{page}</a>{note}
            </div>
            """;
    }
}
