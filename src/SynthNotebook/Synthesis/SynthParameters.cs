using System.Collections.Immutable;

namespace SynthNotebook.Synthesis;

/// <summary>
/// An immutable snapshot of everything a listener needs to render the synth. A new snapshot is published on
/// every change, so the render thread reads one reference per block and never takes a lock.
/// </summary>
/// <param name="Version">Increases by one with every published change.</param>
/// <param name="Components">Per-component frequency and amplitude.</param>
/// <param name="Gain">Master gain applied after the 1/N normalisation.</param>
public sealed record SynthParameters(long Version, ImmutableArray<ComponentParameters> Components, double Gain);
