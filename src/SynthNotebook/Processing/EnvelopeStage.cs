namespace SynthNotebook.Processing;

/// <summary>Where an <see cref="AdsrEnvelope"/> is.</summary>
public enum EnvelopeStage
{
    /// <summary>Silent: before the first note, or after a release ended.</summary>
    Idle,

    /// <summary>Rising to full level after a note-on.</summary>
    Attack,

    /// <summary>Falling from full level to the sustain level.</summary>
    Decay,

    /// <summary>Holding the sustain level until the note-off.</summary>
    Sustain,

    /// <summary>Falling to silence after the note-off.</summary>
    Release,
}
