using System.Runtime.InteropServices;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

// The main job from a shell: start the server, print where to listen, stop cleanly on Ctrl+C or SIGTERM.
// Exit codes: 0 after a clean stop, 2 for bad arguments or a port that cannot be had (one line on stderr).
const int UsageError = 2;
var (line, error) = CommandLine.Parse(args);
if (line is null)
{
    Console.Error.WriteLine($"{CommandLine.Name}: {error}");
    return UsageError;
}
if (line.Help)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

var synth = new Synth();
SynthServer server;
try
{
    server = await SynthServer.StartAsync(synth, new SynthServerOptions { Port = line.Port });
}
catch (PortUnavailableException unavailable)
{
    Console.Error.WriteLine($"{CommandLine.Name}: {unavailable.Message}");
    return UsageError;
}

var stop = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
// Each signal is taken (Cancel) so that the server closes its clients with 1001 before the process ends.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

Console.WriteLine($"SynthNotebook is streaming {synth.ComponentCount} components " +
                  $"({synth.GetFrequency(0)}-{synth.GetFrequency(synth.ComponentCount - 1)} Hz).");
if (server.PortNote is { } note)
{
    Console.WriteLine($"Note:      {note}.");
}
Console.WriteLine($"Page:      {server.PageUrl}");
Console.WriteLine($"WebSocket: {server.WebSocketUrl}");
Console.WriteLine("Press Ctrl+C to stop.");

var signal = await stop.Task;
await server.StopAsync();
Console.WriteLine($"Stopped on {signal} after {server.Statistics.BlocksSent} blocks to {server.Statistics.Connections} connection(s).");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult(context.Signal.ToString());
}
