using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Streaming;

/// <summary>What a player is told of the patch playing: its name, whether it has keys, whether the sliders are heard.</summary>
internal readonly record struct PatchTraits(string Name, bool Keys, bool Sliders)
{
    /// <summary><paramref name="patch"/> as played by a server whose sliders move <paramref name="synth"/>.</summary>
    public static PatchTraits Of(Patch patch, Synth synth) => new(patch.Name, patch.Instrument is not null, ReferenceEquals(patch.Synth, synth));
}
