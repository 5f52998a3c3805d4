using System.Globalization;
using System.Net;
using SynthNotebook.Streaming;

namespace SynthNotebook.Studio;

/// <summary>A studio program's arguments: <c>--port N</c>, <c>--open</c> and <c>--help</c>; anything else is a usage error.</summary>
internal sealed record StudioCommandLine(int? Port, bool Open, bool Help)
{
    public static string Usage(string name) => $"""
        Usage: {name} [--port N] [--open]

        Starts a SynthNotebook studio on 127.0.0.1 and prints the page to open: what the program shows, and its player
        (press Play there). Runs until Ctrl+C or SIGTERM.

          --port N   listen on port N (0: any free port). Without it: {SynthServerOptions.DefaultPort} (or ${SynthServerOptions.PortVariable}),
                     or any free port when another program holds that one.
          --open     open the page in this desktop's browser at once.
          --help     show this help.
        """;

    /// <summary>The arguments understood, or a one-line error saying what is wrong.</summary>
    public static (StudioCommandLine? Line, string? Error) Parse(IReadOnlyList<string> args)
    {
        int? port = null;
        var open = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h":
                    return (new StudioCommandLine(port, open, Help: true), null);
                case "--open":
                    open = true;
                    break;
                case "--port" when i + 1 < args.Count:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > IPEndPoint.MaxPort)
                    {
                        return (null, $"--port wants a number from 0 to {IPEndPoint.MaxPort}, not '{args[i]}'.");
                    }
                    port = value;
                    break;
                case "--port":
                    return (null, "--port wants a number from 0 to 65535.");
                default:
                    return (null, $"unknown argument '{args[i]}' (see --help).");
            }
        }
        return (new StudioCommandLine(port, open, Help: false), null);
    }
}
