namespace SynthNotebook.Synthesis;

/// <summary>
/// Two-sample polynomial corrections that band-limit a naive waveform's corners: the residual of a band-limited step
/// (BLEP) for a jump, and its integral (BLAMP) for a kink. Each is zero except within one sample of the corner, so a
/// naive saw, pulse or triangle plus these costs a few flops a sample and keeps the aliases low.
/// </summary>
internal static class PolyBlep
{
    /// <summary>
    /// The residual for a step of +2 at phase 0 (as in a square's rising edge), at phase <paramref name="t"/> in
    /// [0, 1) with <paramref name="dt"/> cycles per sample: −1 just after the step to +1 just before the next.
    /// </summary>
    public static double Step(double t, double dt)
    {
        if (t < dt)
        {
            var x = t / dt - 1;
            return -x * x;
        }
        if (t > 1 - dt)
        {
            var x = (t - 1) / dt + 1;
            return x * x;
        }
        return 0;
    }

    /// <summary>
    /// The residual for a kink at phase 0 whose slope rises by one unit per sample: the integral of a unit step's
    /// residual, (x+1)³/6 in the sample before the kink and −(x−1)³/6 in the sample after (x in samples from it).
    /// </summary>
    public static double Kink(double t, double dt)
    {
        if (t < dt)
        {
            var x = t / dt - 1;
            return -x * x * x / 6;
        }
        if (t > 1 - dt)
        {
            var x = (t - 1) / dt + 1;
            return x * x * x / 6;
        }
        return 0;
    }
}
