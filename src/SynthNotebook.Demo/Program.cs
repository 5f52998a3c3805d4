using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

// The main job until the notebook lands: start the server, print where to connect, run until Ctrl+C.
var port = args.Length > 0 && int.TryParse(args[0], out var requested) ? requested : SynthServerOptions.DefaultPort;
var synth = new Synth();
await using var server = await SynthServer.StartAsync(synth, new SynthServerOptions { Port = port });

Console.WriteLine($"SynthNotebook is streaming {synth.ComponentCount} components " +
                  $"({synth.GetFrequency(0)}-{synth.GetFrequency(synth.ComponentCount - 1)} Hz).");
Console.WriteLine($"Page:      {server.PageUrl}");
Console.WriteLine($"WebSocket: {server.WebSocketUrl}");
Console.WriteLine("Press Ctrl+C to stop.");

var stopped = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.TrySetResult();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stopped.TrySetResult();
await stopped.Task;
Console.WriteLine($"Stopped after {server.Statistics.BlocksSent} blocks to {server.Statistics.Connections} connection(s).");
