using System.Diagnostics;
using System.Text.Json;
using SynthNotebook.Tests.Notebook.Kernel;
using SynthNotebook.Tests.Streaming;

namespace SynthNotebook.Tests.Notebook.Jupyter;

/// <summary>
/// The dotnet-interactive tool over standard I/O (`dotnet-interactive stdio`, as editors host it): its Quit command
/// ends the process through ProcessExit alone, and the server a cell started still stops first.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class StdioKernelTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task QuitEndsTheKernelAndStopsTheServerFirst()
    {
        var folder = JupyterSetup.NotebookFolder(NotebookDocument.IpynbPath);
        var start = JupyterSetup.StartInfo(JupyterSetup.KernelTool, ["stdio"], folder, input: true);
        using var kernel = Process.Start(start)!;
        kernel.ErrorDataReceived += (_, _) => { };
        kernel.BeginErrorReadLine();
        try
        {
            await SubmitAsync(kernel, "1", $"#r \"nuget: SynthNotebook, {PackedPackage.Version}\"\nusing SynthNotebook.Streaming;\nusing SynthNotebook.Synthesis;");
            var url = StreamClient.WebSocketUrlIn(await SubmitAsync(kernel, "2", "var server = SynthServer.Start(new Synth(), port: 0);\nserver.WebSocketUrl.ToString()"));
            await using var listener = await StreamClient.ListenAtAsync(url);

            await SendAsync(kernel, "3", "Quit", new { });

            await listener.AssertServerStoppedAsync();
            using var ended = new CancellationTokenSource(Limit);
            await kernel.WaitForExitAsync(ended.Token);
            Ports.AssertFree(url.Port);
        }
        finally
        {
            if (!kernel.HasExited)
            {
                kernel.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task SendAsync(Process kernel, string token, string commandType, object command)
    {
        await kernel.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { token, commandType, command }));
        await kernel.StandardInput.FlushAsync();
    }

    // Submits a cell and returns what its values showed, once the kernel says the command succeeded.
    private static async Task<string> SubmitAsync(Process kernel, string token, string code)
    {
        await SendAsync(kernel, token, "SubmitCode", new { code, targetKernelName = "csharp" });
        var shown = new List<string>();
        using var limit = new CancellationTokenSource(Limit);
        while (await kernel.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }
            using var envelope = JsonDocument.Parse(line);
            var root = envelope.RootElement;
            if (!root.TryGetProperty("eventType", out var type))
            {
                continue;
            }
            if (type.GetString() is "ReturnValueProduced" or "DisplayedValueProduced")
            {
                shown.AddRange(root.GetProperty("event").GetProperty("formattedValues").EnumerateArray().Select(v => v.GetProperty("value").GetString()!));
            }
            var isOurs = root.TryGetProperty("command", out var command) && command.ValueKind == JsonValueKind.Object
                && command.TryGetProperty("token", out var of) && of.GetString() == token;
            if (isOurs && type.GetString() == "CommandFailed")
            {
                throw new Xunit.Sdk.XunitException($"The cell failed: {root.GetProperty("event").GetProperty("message").GetString()}");
            }
            if (isOurs && type.GetString() == "CommandSucceeded")
            {
                return string.Concat(shown);
            }
        }
        throw new InvalidOperationException("The kernel ended before the cell did.");
    }
}
