using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SynthNotebook.Streaming;

/// <summary>
/// The server's HTTP side besides the WebSocket: its page and its microphone page (for whoever holds the token), the
/// live feed of what the program shows (Server-Sent Events, token too), the favicon and the page's public scripts.
/// </summary>
internal static class ServerPageEndpoints
{
    public const string FeedPath = "/page-feed";
    public const string DuplexPath = "/duplex";

    /// <summary>Serves <paramref name="context"/> if it asks for one of these; false otherwise.</summary>
    public static async Task<bool> TryServeAsync(HttpContext context, SynthServer server, CancellationToken closing)
    {
        var path = context.Request.Path.Value ?? "";
        if (!HttpMethods.IsGet(context.Request.Method) || context.WebSockets.IsWebSocketRequest)
        {
            return false;
        }
        switch (path)
        {
            case "/":
                await ServePageAsync(context, server, server.PageOptions, withItems: true);
                return true;
            case DuplexPath:
                await ServePageAsync(context, server, server.PageOptions with { Mode = StreamMode.Duplex }, withItems: false);
                return true;
            case FeedPath:
                await ServeFeedAsync(context, server, closing);
                return true;
            case ServerPageHtml.FaviconPath:
                await ServePublicAsync(context, "image/svg+xml", Encoding.UTF8.GetBytes(ServerPageHtml.Favicon));
                return true;
        }
        if (server.Page.Script(path) is { } script)
        {
            await ServePublicAsync(context, "text/javascript; charset=utf-8", script);
            return true;
        }
        return false;
    }

    private static async Task<bool> RefusedAsync(HttpContext context, SynthServer server)
    {
        context.Response.Headers.CacheControl = "no-store";
        string? token = context.Request.Query["token"];
        if (token is not null && server.Token.Matches(token))
        {
            return false;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(
            "SynthNotebook: open this page with ?token=... (the server's PageUrl gives the full address).\n");
        return true;
    }

    /// <summary>The page, for whoever holds the token (the page embeds it, so it is not shown to others).</summary>
    private static async Task ServePageAsync(HttpContext context, SynthServer server, PlayerOptions options, bool withItems)
    {
        if (await RefusedAsync(context, server))
        {
            return;
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        // The URL holds the token: no Referer carries it on, no other site frames the page, and only this page's own
        // scripts (and the Worker and worklet it makes from blobs) run, talking to this server alone.
        // The socket is the server's own address (the one in the player's config), whatever Host the page was asked
        // for by; the item feed is the page's own origin.
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.Headers.XFrameOptions = "DENY";
        context.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}' blob:; worker-src blob:; style-src 'unsafe-inline'; " +
            $"img-src 'self' data:; connect-src ws://{server.WebSocketUrl.Authority} 'self'; media-src blob: mediastream: data:; " +
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        await context.Response.WriteAsync(ServerPageHtml.Render(server, options, nonce, withItems));
    }

    /// <summary>
    /// Every item the page has, then each new one as it is appended, until the page leaves or the server stops. An
    /// event's id is the item's number: a reconnecting EventSource names the last it saw and gets only those after.
    /// </summary>
    private static async Task ServeFeedAsync(HttpContext context, SynthServer server, CancellationToken closing)
    {
        if (await RefusedAsync(context, server))
        {
            return;
        }
        var next = int.TryParse(context.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var seen)
            ? seen + 1 : 0;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, closing);
        var events = new StringBuilder();
        try
        {
            while (true)
            {
                var (first, items, appended) = server.Page.Since(next);
                events.Clear();
                for (var i = 0; i < items.Length; i++)
                {
                    AppendEvent(events, first + i, items[i]);
                }
                next = first + items.Length;
                await context.Response.WriteAsync(events.ToString(), stop.Token);
                await context.Response.Body.FlushAsync(stop.Token);
                await appended.WaitAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // An event's data is one "data:" line per line of the item; the browser joins them with newlines.
    private static void AppendEvent(StringBuilder events, int id, string html)
    {
        events.Append(CultureInfo.InvariantCulture, $"id: {id}\nevent: item\n");
        foreach (var line in html.ReplaceLineEndings("\n").Split('\n'))
        {
            events.Append("data: ").Append(line).Append('\n');
        }
        events.Append('\n');
    }

    private static async Task ServePublicAsync(HttpContext context, string contentType, byte[] content)
    {
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "public, max-age=86400";
        await context.Response.Body.WriteAsync(content);
    }
}
