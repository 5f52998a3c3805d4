using System.Diagnostics;

/// <summary>
/// A bounded CPU load on every core while a run plays, as a busy laptop would have (a build, other tabs): Debian's
/// stress-ng where it is installed, otherwise one shell busy loop per core. Each ends by itself after its time even if
/// this program dies (stress-ng's --timeout, coreutils' timeout).
/// </summary>
internal sealed class CpuStress : IDisposable
{
    private readonly List<Process> _processes = [];

    private CpuStress(int seconds)
    {
        var cores = Environment.ProcessorCount;
        if (File.Exists("/usr/bin/stress-ng"))
        {
            _processes.Add(Start("/usr/bin/stress-ng", "--cpu", $"{cores}", "--timeout", $"{seconds}s", "--quiet"));
            Description = $"stress-ng --cpu {cores} for {seconds} s";
        }
        else
        {
            for (var core = 0; core < cores; core++)
            {
                _processes.Add(Start("/usr/bin/timeout", $"{seconds}", "/bin/sh", "-c", "while :; do :; done"));
            }
            Description = $"{cores} shell busy loops for {seconds} s";
        }
    }

    public string Description { get; }

    /// <summary>Loads every core for <paramref name="seconds"/>, or does nothing when <paramref name="enabled"/> is false.</summary>
    public static CpuStress? StartIf(bool enabled, int seconds) => enabled ? new CpuStress(seconds) : null;

    private static Process Start(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start)!;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.Dispose();
        }
    }
}
