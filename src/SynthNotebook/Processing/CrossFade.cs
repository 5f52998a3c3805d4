namespace SynthNotebook.Processing;

/// <summary>
/// The linear cross-fade a stream makes when what it plays or applies is swapped (<see cref="ChainSwitch"/>,
/// <see cref="PatchSwitch"/>): over <see cref="Seconds"/> the old output's share falls from 1 to 0, so a swap never
/// clicks or leaves a gap; past the fade the new output stands exactly as it is.
/// </summary>
internal static class CrossFade
{
    public const double Seconds = 0.010;

    /// <summary>The fade's length at <paramref name="sampleRate"/>, at least one sample.</summary>
    public static int SamplesAt(int sampleRate) => Math.Max(1, (int)Math.Round(Seconds * sampleRate));

    /// <summary>
    /// Fades <paramref name="to"/> in over <paramref name="from"/> for this block, <paramref name="faded"/> samples of the
    /// fade's <paramref name="length"/> having gone; returns how many have gone after it.
    /// </summary>
    public static int Apply(ReadOnlySpan<float> from, Span<float> to, int faded, int length)
    {
        var fading = Math.Min(to.Length, length - faded);
        for (var i = 0; i < fading; i++)
        {
            var share = (float)(faded + i) / length;
            to[i] = from[i] + (to[i] - from[i]) * share;
        }
        return faded + to.Length;
    }
}
