using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Studio;

/// <summary>
/// <see cref="SynthStudio.RunAsync"/>: a studio as a shell runs a program. One line on stderr for anything the user
/// must fix, never a stack trace; each signal is taken so that the players are told (1001) before the process ends.
/// </summary>
internal static class StudioProgram
{
    public const int Stopped = 0;
    public const int ProgramFailed = 1;
    public const int UsageError = 2;

    /// <summary>The program's name as its user typed it: a file-based app's file, a project's assembly.</summary>
    public static string Name => Assembly.GetEntryAssembly()?.GetName().Name ?? "synthnotebook";

    public static async Task<int> RunAsync(string[] args, Synth synth, Func<SynthStudio, Task> program, string title)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(synth);
        ArgumentNullException.ThrowIfNull(program);
        var (line, error) = StudioCommandLine.Parse(args);
        if (line is null)
        {
            Console.Error.WriteLine($"{Name}: {error}");
            return UsageError;
        }
        if (line.Help)
        {
            Console.WriteLine(StudioCommandLine.Usage(Name));
            return Stopped;
        }

        SynthStudio studio;
        try
        {
            studio = await SynthStudio.StartAsync(synth, title, new SynthServerOptions { Port = line.Port });
        }
        catch (PortUnavailableException unavailable)
        {
            Console.Error.WriteLine($"{Name}: {unavailable.Message}");
            return UsageError;
        }

        await using (studio)
        {
            var stop = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.TrySetResult(context.Signal.ToString());
            }
            using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

            var server = studio.Server;
            Console.WriteLine($"{title}: streaming {synth.ComponentCount} components " +
                              $"({synth.GetFrequency(0)}-{synth.GetFrequency(synth.ComponentCount - 1)} Hz).");
            if (server.PortNote is { } note)
            {
                Console.WriteLine($"Note:      {note}.");
            }
            Console.WriteLine($"Page:      {server.PageUrl}");
            Console.WriteLine($"WebSocket: {server.WebSocketUrl}");
            OfferBrowser(studio.Url, line.Open);
            Console.WriteLine("Press Ctrl+C to stop.");

            var run = RunProgramAsync(studio, program);
            var signal = await stop.Task;
            await studio.DisposeAsync();
            Console.WriteLine($"Stopped on {signal} after {server.Statistics.BlocksSent} blocks to {server.Statistics.Connections} connection(s).");
            return run.IsCompletedSuccessfully && !run.Result ? ProgramFailed : Stopped;
        }
    }

    // False when the program threw: its error is shown where the user looks, the page and the terminal, and the
    // studio keeps serving what was shown, as a notebook keeps a failed cell's outputs.
    private static async Task<bool> RunProgramAsync(SynthStudio studio, Func<SynthStudio, Task> program)
    {
        try
        {
            await program(studio);
            return true;
        }
        catch (OperationCanceledException) when (studio.Stopping.IsCancellationRequested)
        {
            return true;
        }
        catch (Exception error)
        {
            var message = $"{error.GetType().Name}: {error.Message}";
            Console.Error.WriteLine($"{Name}: the program failed: {message}");
            studio.ShowHtml($"<p class=\"studio-text studio-error\"><b>The program failed</b>: {WebUtility.HtmlEncode(message)}</p>");
            return false;
        }
    }

    private static void OfferBrowser(Uri url, bool openNow)
    {
        if (openNow)
        {
            if (DesktopBrowser.Open(url) is { } why)
            {
                Console.WriteLine($"Note:      {why}.");
            }
            return;
        }
        if (!DesktopBrowser.Exists || Console.IsInputRedirected)
        {
            return;
        }
        Console.WriteLine("Press Enter to open it in your browser.");
        _ = Task.Run(() =>
        {
            if (Console.ReadLine() is not null && DesktopBrowser.Open(url) is { } why)
            {
                Console.WriteLine($"Note:      {why}.");
            }
        });
    }
}
