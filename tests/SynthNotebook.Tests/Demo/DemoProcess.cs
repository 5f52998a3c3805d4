using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SynthNotebook.Tests.Demo;

/// <summary>The demo program (the README's main job) run as a user runs it, with its output read as it comes.</summary>
internal sealed partial class DemoProcess : IDisposable
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _page = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];

    private DemoProcess(params string[] arguments)
    {
        var dll = Path.Combine(BuildConfiguration.OutputOf("SynthNotebook.Demo"), "SynthNotebook.Demo.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment.Remove(global::SynthNotebook.Streaming.SynthServerOptions.PortVariable);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _page.TrySetException(new InvalidOperationException($"The demo printed no page:\n{Output}"));
                return;
            }
            lock (_stdout)
            {
                _stdout.Add(e.Data);
            }
            if (PageLine().Match(e.Data) is { Success: true } page)
            {
                _page.TrySetResult(new Uri(page.Groups[1].Value));
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Add(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_stdout)
            {
                return string.Join('\n', _stdout);
            }
        }
    }

    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (_stderr)
            {
                return [.. _stderr];
            }
        }
    }

    public static DemoProcess Start(params string[] arguments) => new(arguments);

    /// <summary>The page URL the demo printed.</summary>
    public Task<Uri> PageAsync() => _page.Task.WaitAsync(Limit);

    /// <summary>Waits (bounded) for the program to end and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var limit = new CancellationTokenSource(Limit);
        await _process.WaitForExitAsync(limit.Token);
        _process.WaitForExit(); // the output's last lines
        return _process.ExitCode;
    }

    /// <summary>Sends a signal as a shell's kill (or a terminal's Ctrl+C) does.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^Page:\s+(\S+)$")]
    private static partial Regex PageLine();
}
