namespace SynthNotebook.Synthesis;

/// <summary>
/// Renders one block of a <see cref="BlockFunctionSource"/>: fill <paramref name="block"/>, whose first sample is
/// sample number <paramref name="firstSample"/> of the stream (at <c>firstSample / sampleRate</c> seconds).
/// </summary>
public delegate void BlockFunction(Span<float> block, long firstSample, int sampleRate);
