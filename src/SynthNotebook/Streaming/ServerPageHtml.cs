using System.Net;
using System.Text;
using System.Text.Json;
using SynthNotebook.Player;

namespace SynthNotebook.Streaming;

/// <summary>
/// The server's page as HTML: a header with the title and where it streams from, the player (or the microphone
/// player), and the items its program shows, followed live (page-feed.js). One stylesheet, laid out for a wide window
/// and a narrow one.
/// </summary>
internal static class ServerPageHtml
{
    public const string FaviconPath = "/favicon.svg";

    /// <summary>A sine in a rounded square: the tab's icon and the header's mark.</summary>
    public const string Favicon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#3a4fd6"/><path d="M4 16c3-9 6-9 8 0s5 9 8 0 5-9 8 0" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/></svg>
        """;

    private const string Style = """
        :root { color-scheme: light dark; --accent: #3a4fd6; --line: #8884; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, sans-serif; }
        .studio-head { display: flex; align-items: center; gap: 12px; padding: 10px 20px; border-bottom: 1px solid var(--line);
          position: sticky; top: 0; background: Canvas; z-index: 10; }
        .studio-head svg { width: 28px; height: 28px; flex: none; }
        .studio-head h1 { font-size: 17px; font-weight: 650; margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        .studio-head .studio-where { margin-left: auto; font: 12px ui-monospace, monospace; opacity: .7; white-space: nowrap; }
        .studio-state { font-size: 12px; color: #b36b00; white-space: nowrap; }
        .studio-state:empty { display: none; }
        .studio-main { max-width: 920px; margin: 0 auto; padding: 16px 20px 48px; display: grid; gap: 16px; }
        .studio-items { display: grid; gap: 16px; }
        .studio-main .synth-notebook-player { max-width: none; }
        .studio-item { overflow-x: auto; }
        .studio-item:has(.synthnotebook-chart) { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
        .studio-item .synth-notebook-player { max-width: none; }
        .studio-text { margin: 0; white-space: pre-wrap; }
        .studio-heading { margin: 8px 0 0; font-size: 18px; }
        .studio-error { color: #c0392b; }
        """;

    public static string Render(SynthServer server, PlayerOptions options, string nonce, bool withItems)
    {
        var page = server.Page;
        var title = WebUtility.HtmlEncode(page.Title);
        var html = new StringBuilder();
        html.Append($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title}</title>
            <link rel="icon" href="{FaviconPath}" type="image/svg+xml">
            <style>{Style}</style>
            """);
        if (withItems)
        {
            foreach (var path in page.ScriptPaths)
            {
                html.Append($"<script nonce=\"{nonce}\" src=\"{WebUtility.HtmlEncode(path)}\"></script>\n");
            }
        }
        html.Append($"""
            </head>
            <body>
            <header class="studio-head">{Favicon}<h1>{title}</h1><span class="studio-state" id="studio-state"></span>
            <span class="studio-where" title="the server this page streams from">{WebUtility.HtmlEncode(server.WebSocketUrl.Authority)}</span></header>
            <main class="studio-main">
            """);
        if (!withItems || page.ShowsPlayer)
        {
            html.Append(PlayerWidget.Html(server, options, nonce));
        }
        if (withItems)
        {
            var feedUrl = JsonSerializer.Serialize($"{ServerPageEndpoints.FeedPath}?token={server.Token.Value}", SynthNotebookJson.Default.String);
            html.Append($"""
                <div id="studio-items" class="studio-items"></div>
                <script nonce="{nonce}">
                (() => {"{"}
                {ClientScripts.PageFeed}
                synthModules['page-feed.js'].followPageFeed(document.getElementById('studio-items'), document.getElementById('studio-state'), {feedUrl}, "{nonce}");
                {"}"})();
                </script>
                """);
        }
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }
}
