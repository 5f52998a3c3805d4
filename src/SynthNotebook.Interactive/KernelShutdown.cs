using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Streaming;

namespace SynthNotebook.Interactive;

/// <summary>
/// Stops SynthNotebook's servers however a kernel ends, so no client is left hanging and no port stays taken. Each way
/// runs different hooks: Jupyter's shutdown disposes the kernel (and runs ProcessExit and Unloading), the stdio quit
/// runs ProcessExit only, and SIGTERM and SIGINT run signal handlers (Jupyter's Interrupt sends SIGINT, which ends a
/// dotnet-interactive 1.0.712001 kernel).
/// </summary>
internal static class KernelShutdown
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(3);
    // A registration that is collected stops listening: these live as long as the process.
    private static readonly List<PosixSignalRegistration> SignalRegistrations = [];
    private static int _processHooked;

    public static void StopServersWhenItEnds(Kernel kernel)
    {
        kernel.RegisterForDisposal(StopServers);
        if (Interlocked.Exchange(ref _processHooked, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopServers();
        AssemblyLoadContext.Default.Unloading += _ => StopServers();
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
        {
            // Not cancelled: the signal still does to the process what it would have; the servers just go first.
            SignalRegistrations.Add(PosixSignalRegistration.Create(signal, _ => StopServers()));
        }
    }

    // Off the caller's thread (a kernel's synchronization context must not be blocked on), and bounded: a process on
    // its way out does not wait for a client that stopped reading.
    private static void StopServers() =>
        Task.Run(async () =>
        {
            await SynthServer.StopAllAsync();
            await PlotlyJsServer.StopAsync();
        }).Wait(StopLimit);
}
