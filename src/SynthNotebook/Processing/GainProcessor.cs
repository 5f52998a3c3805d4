using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>A fixed gain. Changing it means a new chain, which the stream cross-fades to, so it never clicks.</summary>
internal sealed class GainProcessor(float gain) : IRewindableProcessor
{
    public void Process(Span<float> block)
    {
        for (var i = 0; i < block.Length; i++)
        {
            block[i] *= gain;
        }
    }

    public ISourceCheckpoint CreateCheckpoint() => StatelessCheckpoint.Instance;
}
