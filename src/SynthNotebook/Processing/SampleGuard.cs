namespace SynthNotebook.Processing;

/// <summary>What leaves a chain is always a number a speaker can take: NaN and infinities do not reach a listener.</summary>
internal static class SampleGuard
{
    /// <summary>NaN becomes silence and an infinity the full scale of its sign (3e38 through a gain of 4, say).</summary>
    public static void ReplaceNonFinite(Span<float> samples)
    {
        foreach (ref var sample in samples)
        {
            if (!float.IsFinite(sample))
            {
                sample = float.IsNaN(sample) ? 0f : MathF.Sign(sample);
            }
        }
    }
}
