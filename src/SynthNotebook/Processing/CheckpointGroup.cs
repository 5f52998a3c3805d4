using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>The checkpoint of something made of parts: each part's, saved and restored together.</summary>
internal sealed class CheckpointGroup(params ISourceCheckpoint[] parts) : ISourceCheckpoint
{
    public void Save()
    {
        foreach (var part in parts)
        {
            part.Save();
        }
    }

    public void Restore()
    {
        foreach (var part in parts)
        {
            part.Restore();
        }
    }
}
