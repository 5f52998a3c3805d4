using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// A second-order IIR filter with the Audio EQ Cookbook's coefficients (R. Bristow-Johnson), in transposed direct form
/// II with double state. It follows its <see cref="FilterSettings"/>: every 32 samples the frequency moves a step
/// towards the setting (geometrically, a 10 ms time constant) and the coefficients are recomputed, so a change glides.
/// </summary>
internal sealed class BiquadFilter : IRewindableProcessor
{
    private const int StepSamples = 32;
    private const double GlideSeconds = 0.010;

    private readonly FilterSettings _settings;
    private readonly double _sampleRate;
    private readonly double _glide;   // the fraction of the way covered per step
    private double _frequency, _q;
    private double _b0, _b1, _b2, _a1, _a2;
    private double _z1, _z2;
    private int _untilStep;

    public BiquadFilter(FilterSettings settings, int sampleRate)
    {
        _settings = settings;
        _sampleRate = sampleRate;
        _glide = 1 - Math.Exp(-StepSamples / (GlideSeconds * sampleRate));
        _frequency = Clamp(settings.Frequency);
        _q = settings.Q;
        UpdateCoefficients();
    }

    public void Process(Span<float> block)
    {
        for (var i = 0; i < block.Length; i++)
        {
            if (_untilStep-- == 0)
            {
                _untilStep = StepSamples - 1;
                GlideTowardsSettings();
            }
            double x = block[i];
            var y = _b0 * x + _z1;
            _z1 = _b1 * x - _a1 * y + _z2;
            _z2 = _b2 * x - _a2 * y;
            block[i] = (float)y;
        }
    }

    /// <summary>Its state: where the glide has got, the coefficients of there, and the filter's memory.</summary>
    public ISourceCheckpoint CreateCheckpoint() => new Checkpoint(this);

    private void GlideTowardsSettings()
    {
        var targetFrequency = Clamp(_settings.Frequency);
        var targetQ = _settings.Q;
        if (targetFrequency == _frequency && targetQ == _q)
        {
            return;
        }
        _frequency *= Math.Pow(targetFrequency / _frequency, _glide);
        _q += (targetQ - _q) * _glide;
        if (Math.Abs(targetFrequency / _frequency - 1) < 1e-4 && Math.Abs(targetQ - _q) < 1e-4)
        {
            (_frequency, _q) = (targetFrequency, targetQ);
        }
        UpdateCoefficients();
    }

    // Below Nyquist, where the cookbook's formulas hold.
    private double Clamp(double frequency) => Math.Min(frequency, 0.45 * _sampleRate);

    private void UpdateCoefficients()
    {
        var w0 = 2 * Math.PI * _frequency / _sampleRate;
        var cos = Math.Cos(w0);
        var alpha = Math.Sin(w0) / (2 * _q);
        var (b0, b1, b2) = _settings.Type switch
        {
            FilterType.LowPass => ((1 - cos) / 2, 1 - cos, (1 - cos) / 2),
            FilterType.HighPass => ((1 + cos) / 2, -(1 + cos), (1 + cos) / 2),
            _ => (alpha, 0.0, -alpha),
        };
        var a0 = 1 + alpha;
        (_b0, _b1, _b2, _a1, _a2) = (b0 / a0, b1 / a0, b2 / a0, -2 * cos / a0, (1 - alpha) / a0);
    }

    private sealed class Checkpoint(BiquadFilter filter) : ISourceCheckpoint
    {
        private (double Frequency, double Q, double B0, double B1, double B2, double A1, double A2, double Z1, double Z2, int UntilStep) _state;

        public void Save() => _state = (filter._frequency, filter._q, filter._b0, filter._b1, filter._b2, filter._a1, filter._a2,
            filter._z1, filter._z2, filter._untilStep);

        public void Restore() => (filter._frequency, filter._q, filter._b0, filter._b1, filter._b2, filter._a1, filter._a2,
            filter._z1, filter._z2, filter._untilStep) = _state;
    }
}
