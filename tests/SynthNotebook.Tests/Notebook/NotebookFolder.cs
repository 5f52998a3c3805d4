namespace SynthNotebook.Tests.Notebook;

/// <summary>The kernel runs in the notebook's folder; the replay runs in a scratch one, so synth.wav lands there.</summary>
internal sealed class NotebookFolder : IDisposable
{
    private readonly string _previous = Directory.GetCurrentDirectory();

    public NotebookFolder()
    {
        Path = Directory.CreateTempSubdirectory("synthnotebook-notebook-").FullName;
        Directory.SetCurrentDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        Directory.SetCurrentDirectory(_previous);
        Directory.Delete(Path, recursive: true);
    }
}
