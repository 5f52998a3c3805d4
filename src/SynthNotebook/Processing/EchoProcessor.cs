using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// A feedback delay: the output is the input plus <c>mix</c> × the line, and the line takes the input plus
/// <c>feedback</c> × what it gives back, so each echo is <c>feedback</c> times the one before. The line is a ring a
/// second longer than the delay: a checkpoint keeps only where the line has got, since the second of audio behind it
/// is still there to be read again (a rewind reaches half a second).
/// </summary>
internal sealed class EchoProcessor : IRewindableProcessor
{
    private static readonly TimeSpan RewindMargin = TimeSpan.FromSeconds(1);

    private readonly float[] _line;
    private readonly int _delay;
    private readonly float _feedback, _mix;
    private long _written;

    public EchoProcessor(int sampleRate, double delaySeconds, double feedback, double mix)
    {
        _delay = Math.Max(1, (int)Math.Round(delaySeconds * sampleRate));
        _line = new float[_delay + (int)(RewindMargin.TotalSeconds * sampleRate)];
        _feedback = (float)feedback;
        _mix = (float)mix;
    }

    public void Process(Span<float> block)
    {
        var line = _line;
        var index = (int)(_written % line.Length);
        var from = (int)((_written - _delay) % line.Length + line.Length) % line.Length;
        for (var i = 0; i < block.Length; i++)
        {
            var back = _written + i >= _delay ? line[from] : 0f;
            var input = block[i];
            line[index] = input + _feedback * back;
            block[i] = input + _mix * back;
            if (++index == line.Length)
            {
                index = 0;
            }
            if (++from == line.Length)
            {
                from = 0;
            }
        }
        _written += block.Length;
    }

    public ISourceCheckpoint CreateCheckpoint() => new PositionCheckpoint(() => _written, written => _written = written);
}
