using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SynthNotebook.Streaming;

/// <summary>
/// A Kestrel host for a library: it listens where it is told and nowhere else, reads no configuration, logs nothing into
/// a notebook's output, and leaves the process's signals alone (the default console lifetime would take SIGTERM, SIGINT
/// and SIGQUIT for itself, and a kernel or program that started a server would no longer end on them).
/// </summary>
internal static class LocalWebHost
{
    /// <summary>A host on <paramref name="address"/>:<paramref name="port"/> that stops within <paramref name="shutdownTimeout"/>.</summary>
    /// <param name="address">The one address it listens on.</param>
    /// <param name="port">The port; 0 for any free one.</param>
    /// <param name="shutdownTimeout">How long a stop waits for requests in flight.</param>
    /// <param name="inlineIo">
    /// Runs the application's continuations on the socket's I/O thread instead of queuing each to the thread pool:
    /// for a server whose per-message work is microseconds (a block to render and send), every hop saved is a thread
    /// wake-up saved, and on a VM a wake-up costs more than the work. Code that may block must hop off by itself.
    /// </param>
    public static WebApplication Build(IPAddress address, int port, TimeSpan shutdownTimeout, bool inlineIo = false)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        if (inlineIo)
        {
            builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        }
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, port);
        });
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, SteadyMemoryPoolFactory>();
        builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdownTimeout);
        return builder.Build();
    }

    /// <summary>The port the host listens on (the one the system chose when 0 was asked for).</summary>
    public static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return new Uri(addresses.Addresses.First()).Port;
    }

    /// <summary>True when starting failed because something else holds the address.</summary>
    public static bool IsAddressInUse(Exception error) =>
        error is IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException }
        || error.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
        || error is Microsoft.AspNetCore.Connections.AddressInUseException;

    private sealed class NoSignalsLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
