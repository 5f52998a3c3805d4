using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace SynthNotebook.BrowserTests;

/// <summary>
/// A stand-in for a notebook front end: a real HTTP server on 127.0.0.1 serving one page made of output fragments,
/// so the page has a loopback origin as Jupyter's has (a page the browser did not load from the network would be
/// held to Chromium's local-network-access checks, which a notebook page never meets).
/// </summary>
public sealed class TestPageHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestPageHost(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<TestPageHost> StartAsync(string html)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(html);
        });
        await app.StartAsync();
        return new TestPageHost(app, app.Urls.First() + "/notebook");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
