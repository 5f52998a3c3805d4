using System.Diagnostics;
using System.Text.Json;

namespace SynthNotebook.Tests.Notebook.Jupyter;

/// <summary>
/// One dotnet-interactive kernel process, started and driven by jupyter_client as a Jupyter front end does (through
/// kernel_driver.py), so a test can run cells and then end the kernel each way Jupyter or a system can.
/// </summary>
public sealed class ToolKernel : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private readonly Process _driver;

    private ToolKernel(Process driver, int pid)
    {
        _driver = driver;
        Pid = pid;
    }

    /// <summary>The kernel's process id.</summary>
    public int Pid { get; }

    /// <summary>Starts a kernel in <paramref name="folder"/> (its NuGet.config finds the fresh package).</summary>
    public static async Task<ToolKernel> StartAsync(string folder)
    {
        var driver = Process.Start(JupyterSetup.StartInfo("/usr/bin/python3",
            [Path.Combine(AppContext.BaseDirectory, "kernel_driver.py"), folder], folder, input: true))!;
        driver.ErrorDataReceived += (_, _) => { }; // the kernel's and the driver's logs, not read
        driver.BeginErrorReadLine();
        var ready = await ReadAnswerAsync(driver);
        return new ToolKernel(driver, ready.GetProperty("pid").GetInt32());
    }

    /// <summary>Runs a cell: its HTML outputs and its errors.</summary>
    public async Task<(IReadOnlyList<string> Html, IReadOnlyList<string> Errors)> RunAsync(string code)
    {
        var answer = await AskAsync(new { run = code });
        return ([.. answer.GetProperty("html").EnumerateArray().Select(h => h.GetString()!)],
                [.. answer.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)]);
    }

    /// <summary>Sends the kernel a signal ("TERM", "INT"); whether it still runs after it.</summary>
    public async Task<bool> SignalAsync(string name) => (await AskAsync(new { signal = name })).GetProperty("alive").GetBoolean();

    /// <summary>Jupyter's own shutdown of the kernel; returns once the process has ended.</summary>
    public async Task<int?> ShutdownAsync()
    {
        var answer = await AskAsync(new { shutdown = true });
        return answer.GetProperty("exit").ValueKind == JsonValueKind.Number ? answer.GetProperty("exit").GetInt32() : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_driver.HasExited)
        {
            _driver.StandardInput.Close();
            if (!_driver.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                _driver.Kill(entireProcessTree: true);
            }
        }
        try
        {
            Process.GetProcessById(Pid).Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
            // already gone
        }
        _driver.Dispose();
    }

    private async Task<JsonElement> AskAsync(object command)
    {
        await _driver.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
        await _driver.StandardInput.FlushAsync();
        return await ReadAnswerAsync(_driver);
    }

    // The kernel's own log lines share stdout; the driver's answers are the JSON objects.
    private static async Task<JsonElement> ReadAnswerAsync(Process driver)
    {
        using var limit = new CancellationTokenSource(Limit);
        while (await driver.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            if (line.StartsWith('{'))
            {
                return JsonDocument.Parse(line).RootElement.Clone();
            }
        }
        throw new InvalidOperationException("The kernel driver ended without an answer (is jupyter_client installed?).");
    }
}
