namespace SynthNotebook.Tests;

/// <summary>The configuration these tests were built in: the programs and packages they run are built the same way.</summary>
public static class BuildConfiguration
{
#if DEBUG
    public const string Name = "Debug";
#else
    public const string Name = "Release";
#endif

    /// <summary>The build output of a project under src/.</summary>
    public static string OutputOf(string project) =>
        Path.Combine(RepositoryFiles.Root, "src", project, "bin", Name, "net10.0");
}
