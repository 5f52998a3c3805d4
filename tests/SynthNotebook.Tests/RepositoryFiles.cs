namespace SynthNotebook.Tests;

/// <summary>Files of this repository, found from the test's output folder.</summary>
public static class RepositoryFiles
{
    /// <summary>The folder holding SynthNotebook.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SynthNotebook.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No SynthNotebook.sln above {AppContext.BaseDirectory}.");
    }
}
