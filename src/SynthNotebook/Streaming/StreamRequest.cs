namespace SynthNotebook.Streaming;

/// <summary>What a client's hello asked for, checked: the session makes its streamer from it.</summary>
/// <param name="Mode">Synth or duplex.</param>
/// <param name="SampleRate">The listener's rate, within SynthLimits.</param>
/// <param name="BlockSize">Samples per block, within SynthLimits (and, in duplex, within one message).</param>
/// <param name="PaceGroup">Blocks per write on the server's clock (hello "pace"); 0: by credits.</param>
/// <param name="Rewind">Whether the hello asked for a history to render sent blocks again.</param>
/// <param name="SeedMode">The seed's client: no hello, every text message asks for one headerless block.</param>
internal sealed record StreamRequest(StreamMode Mode, int SampleRate, int BlockSize, int PaceGroup, bool Rewind, bool SeedMode);
