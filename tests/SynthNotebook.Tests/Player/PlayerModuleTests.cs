using System.Diagnostics;

namespace SynthNotebook.Tests.Player;

/// <summary>
/// The player's modules under Node's test runner (tests/player/*.test.js), one test file per case, so a failure names
/// the module and shows what Node said.
/// </summary>
public class PlayerModuleTests
{
    private static readonly string TestFolder = Path.Combine(RepositoryFiles.Root, "tests", "player");

    public static TheoryData<string> TestFiles => [.. Directory.GetFiles(TestFolder, "*.test.js").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(TestFiles))]
    public async Task TheModulesTestsPassUnderNode(string file)
    {
        var (exitCode, output) = await NodeAsync(TestFolder, "--test", "--test-reporter=spec", file);

        Assert.True(exitCode == 0, $"node --test {file} exited with {exitCode}:\n{output}");
        Assert.Contains("pass", output);
    }

    [Fact]
    public void EveryModuleHasATestFile()
    {
        // The entry points and the worklet and worker glue run only in a browser (the browser tests play them).
        string[] browserOnly = ["player.js", "audio-graph.js", "scope.js", "player-worklet.js", "mic-worklet.js", "worklets.js", "stream-worker.js", "page-feed.js"];
        var modules = Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "src", "SynthNotebook", "Player"), "*.js").Select(f => Path.GetFileName(f));

        var untested = modules.Except(browserOnly).Where(m => !File.Exists(Path.Combine(TestFolder, Path.ChangeExtension(m, ".test.js"))));

        Assert.Empty(untested);
    }

    public static async Task<(int ExitCode, string Output)> NodeAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync(timeout.Token);
        return (node.ExitCode, await stdout + await stderr);
    }
}
