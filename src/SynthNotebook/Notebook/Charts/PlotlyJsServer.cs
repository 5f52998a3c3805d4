using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SynthNotebook.Streaming;

namespace SynthNotebook.Notebook.Charts;

/// <summary>
/// Serves plotly.js from 127.0.0.1 to pages of this kernel that lack it (the banner's output gone: its cell re-run or
/// cleared), so their charts still draw, offline, without a kernel restart. It starts with the first chart that asks
/// for its address and serves that one public file only.
/// </summary>
public static class PlotlyJsServer
{
    private static readonly object Gate = new();
    private static WebApplication? _app;
    private static Uri? _scriptUrl;

    /// <summary>Where this kernel serves plotly.js; starts the server the first time.</summary>
    public static Uri ScriptUrl
    {
        get
        {
            lock (Gate)
            {
                return _scriptUrl ??= Start();
            }
        }
    }

    /// <summary>Stops the server (the kernel is ending); the next <see cref="ScriptUrl"/> starts a new one.</summary>
    public static async Task StopAsync()
    {
        WebApplication? app;
        lock (Gate)
        {
            (app, _app, _scriptUrl) = (_app, null, null);
        }
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static Uri Start()
    {
        var path = $"/plotly-{PlotlyEngine.PlotlyJsVersion()}.min.js";
        var source = Encoding.UTF8.GetBytes(PlotlyEngine.PlotlyJsSource());
        var app = LocalWebHost.Build(IPAddress.Loopback, 0, TimeSpan.FromSeconds(1));
        app.Run(async context =>
        {
            if (context.Request.Path != path || !HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            // Charts fetch it from pages of any origin (a notebook server, a VS Code webview); it is public code.
            context.Response.Headers.AccessControlAllowOrigin = "*";
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            context.Response.ContentType = "text/javascript; charset=utf-8";
            await context.Response.Body.WriteAsync(source);
        });
        Task.Run(() => app.StartAsync()).GetAwaiter().GetResult();
        _app = app;
        return new Uri($"http://127.0.0.1:{LocalWebHost.BoundPort(app)}{path}");
    }
}
