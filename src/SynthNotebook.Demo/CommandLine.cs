using System.Globalization;
using System.Net;

/// <summary>The demo's arguments: <c>--port N</c> and <c>--help</c>; anything else is a usage error.</summary>
internal sealed record CommandLine(int? Port, bool Help)
{
    public const string Name = "synthnotebook-demo";

    public static readonly string Usage = $"""
        Usage: {Name} [--port N]

        Streams the seed's synth (5 sines, 200-400 Hz) from 127.0.0.1 and prints the page to open; press Play there.
        Runs until Ctrl+C or SIGTERM.

          --port N   listen on port N (0: any free port). Without it: {SynthNotebook.Streaming.SynthServerOptions.DefaultPort} (or ${SynthNotebook.Streaming.SynthServerOptions.PortVariable}),
                     or any free port when another program holds that one.
          --help     show this help.
        """;

    /// <summary>The arguments understood, or a one-line error saying what is wrong.</summary>
    public static (CommandLine? Line, string? Error) Parse(IReadOnlyList<string> args)
    {
        int? port = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h":
                    return (new CommandLine(port, Help: true), null);
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
        return (new CommandLine(port, Help: false), null);
    }
}
