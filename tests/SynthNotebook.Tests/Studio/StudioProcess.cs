using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SynthNotebook.Tests.Studio;

/// <summary>
/// A studio program run as a user runs it, with its output read as it comes: the demo (the README's main job, built
/// from source) or an example as a file-based app (<c>dotnet run name.cs</c>) against the freshly packed package.
/// </summary>
public sealed partial class StudioProcess : IDisposable
{
    private readonly TimeSpan _limit;
    private string? _folder;
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _page = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];

    private StudioProcess(string[] command, string? folder, TimeSpan limit)
    {
        _limit = limit;
        var start = new ProcessStartInfo("dotnet", command)
        {
            WorkingDirectory = folder ?? "",
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
                _page.TrySetException(new InvalidOperationException($"The program printed no page:\n{Output}\n{string.Join('\n', ErrorLines)}"));
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

    /// <summary>The demo, as built by the solution.</summary>
    public static StudioProcess Demo(params string[] arguments) =>
        new([Path.Combine(BuildConfiguration.OutputOf("SynthNotebook.Demo"), "synthnotebook-demo.dll"), .. arguments], null, TimeSpan.FromSeconds(30));

    /// <summary>
    /// examples/<paramref name="name"/>.cs as a user runs it, <c>dotnet run name.cs</c>, from a copy whose NuGet.config
    /// names the feed the tests packed (the repository's artifacts/ may hold an older pack). A first build restores
    /// and compiles: minutes on a busy machine, not seconds.
    /// </summary>
    public static StudioProcess Example(string name, params string[] arguments)
    {
        var folder = Directory.CreateTempSubdirectory($"synthnotebook-example-{name}-").FullName;
        File.Copy(Path.Combine(RepositoryFiles.Root, "examples", $"{name}.cs"), Path.Combine(folder, $"{name}.cs"));
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><add key="synthnotebook-tests" value="{Notebook.Kernel.PackedPackage.FeedFolder}" /></packageSources></configuration>
            """);
        // Its build goes to the copy's folder (not the user's runfile cache), so disposing leaves nothing behind.
        return new(["run", "--artifacts-path", Path.Combine(folder, "artifacts"), $"{name}.cs", "--", .. arguments], folder, TimeSpan.FromMinutes(4))
        {
            _folder = folder,
        };
    }

    /// <summary>The page URL the program printed.</summary>
    public Task<Uri> PageAsync() => _page.Task.WaitAsync(_limit);

    /// <summary>Waits (bounded) for the program to end and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var limit = new CancellationTokenSource(_limit);
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
            _process.WaitForExit();
        }
        _process.Dispose();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [GeneratedRegex(@"^Page:\s+(\S+)$")]
    private static partial Regex PageLine();
}
