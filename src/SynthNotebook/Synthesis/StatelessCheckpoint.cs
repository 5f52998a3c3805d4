namespace SynthNotebook.Synthesis;

/// <summary>The checkpoint of a source or processor without state: there is nothing to keep.</summary>
internal sealed class StatelessCheckpoint : ISourceCheckpoint
{
    public static readonly StatelessCheckpoint Instance = new();

    public void Save()
    {
    }

    public void Restore()
    {
    }
}
