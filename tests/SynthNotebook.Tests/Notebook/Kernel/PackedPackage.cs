using System.Diagnostics;
using System.Reflection;

namespace SynthNotebook.Tests.Notebook.Kernel;

/// <summary>
/// The SynthNotebook package as the README's pack command makes it, packed once per test run into a folder feed. Its
/// version's copy in the global packages folder is evicted first: a kernel restores an exact version from there
/// without asking a feed, so an older pack of the same version would be what the tests load.
/// </summary>
public static class PackedPackage
{
    private static readonly Lazy<string> Packed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The package version, the one every project of the repository builds.</summary>
    public static string Version { get; } = typeof(SynthNotebook.Synthesis.Synth).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    /// <summary>The folder feed holding the fresh package.</summary>
    public static string FeedFolder => Packed.Value;

    /// <summary>The .nupkg itself.</summary>
    public static string PackageFile => Path.Combine(FeedFolder, $"SynthNotebook.{Version}.nupkg");

    /// <summary>Where NuGet keeps restored packages for this user.</summary>
    public static string GlobalPackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string Pack()
    {
        var feed = Directory.CreateTempSubdirectory("synthnotebook-feed-").FullName;
        var project = Path.Combine(RepositoryFiles.Root, "src", "SynthNotebook.Interactive", "SynthNotebook.Interactive.csproj");
        var log = Run("dotnet", ["pack", project, "--configuration", BuildConfiguration.Name, "--output", feed, "--nologo"]);
        if (!File.Exists(Path.Combine(feed, $"SynthNotebook.{Version}.nupkg")))
        {
            throw new InvalidOperationException($"dotnet pack made no SynthNotebook.{Version}.nupkg:\n{log}");
        }
        var cached = Path.Combine(GlobalPackagesFolder, "synthnotebook", Version);
        if (Directory.Exists(cached))
        {
            Directory.Delete(cached, recursive: true);
        }
        return feed;
    }

    private static string _packLog = "";

    /// <summary>What dotnet pack printed (a test reads its warnings).</summary>
    public static string PackLog
    {
        get
        {
            _ = FeedFolder;
            return _packLog;
        }
    }

    private static string Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd() + stderr.GetAwaiter().GetResult();
        process.WaitForExit();
        _packLog = output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output}");
        }
        return output;
    }
}
