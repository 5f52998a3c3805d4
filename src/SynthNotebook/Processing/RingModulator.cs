using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// Multiplies the input by a voice of the synth (scaled by 1/components, so the carrier stays within ±gain): the
/// classic ring modulator, with the synth, its sliders included, as the carrier.
/// </summary>
internal sealed class RingModulator(OscillatorBank carrier, int componentCount) : IRewindableProcessor
{
    private readonly float[] _carrier = new float[SynthLimits.MaxBlockSize];
    private readonly float _scale = 1f / Math.Max(1, componentCount);

    public void Process(Span<float> block)
    {
        var carrierBlock = _carrier.AsSpan(0, block.Length);
        carrier.Read(carrierBlock);
        for (var i = 0; i < block.Length; i++)
        {
            block[i] *= carrierBlock[i] * _scale;
        }
    }

    /// <summary>Its state is the carrier's.</summary>
    public ISourceCheckpoint CreateCheckpoint() => carrier.CreateCheckpoint();
}
