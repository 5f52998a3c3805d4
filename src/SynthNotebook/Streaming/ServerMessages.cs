using System.Buffers;
using System.Text.Json;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Streaming;

/// <summary>Writes the server's JSON messages (docs/protocol.md) into a reusable buffer.</summary>
internal sealed class ServerMessages
{
    public const int ProtocolVersion = 1;

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public ServerMessages() => _writer = new Utf8JsonWriter(_buffer);

    public ReadOnlyMemory<byte> Welcome(StreamMode mode, int sampleRate, int blockSize, int maxCredits, int pace,
        int rewindBlocks, TimeSpan ramp, SynthParameters parameters, long version, PatchTraits source)
    {
        Begin("welcome");
        _writer.WriteNumber("version", ProtocolVersion);
        _writer.WriteString("mode", mode == StreamMode.Duplex ? "duplex" : "synth");
        _writer.WriteString("format", "f32le");
        _writer.WriteNumber("sampleRate", sampleRate);
        _writer.WriteNumber("blockSize", blockSize);
        _writer.WriteNumber("headerBytes", BlockFrame.HeaderBytes);
        _writer.WriteNumber("maxCredits", maxCredits);
        if (pace > 0)
        {
            _writer.WriteNumber("pace", pace);
        }
        if (rewindBlocks > 0)
        {
            _writer.WriteNumber("rewindBlocks", rewindBlocks);
        }
        _writer.WriteNumber("rampMs", ramp.TotalMilliseconds);
        _writer.WriteString("source", source.Name);
        WriteTraits(source);
        _writer.WritePropertyName("params");
        WriteParameters(parameters, version);
        return End();
    }

    public ReadOnlyMemory<byte> Parameters(SynthParameters parameters, long version)
    {
        Begin("params");
        WriteParameterFields(parameters, version);
        return End();
    }

    /// <summary>A rewind with nothing to render again: what played from <paramref name="from"/> on kept no checkpoints.</summary>
    public ReadOnlyMemory<byte> RewindSkipped(long from, string source)
    {
        Begin("rewind-skipped");
        _writer.WriteNumber("from", from);
        _writer.WriteString("message", $"'{source}' keeps no checkpoints (not an IRewindableSource): nothing could be rendered again; changes are heard behind the cushion.");
        return End();
    }

    /// <summary>The instrument was played: the blocks from this version on have the notes in them.</summary>
    public ReadOnlyMemory<byte> Notes(long version)
    {
        Begin("notes");
        _writer.WriteNumber("version", version);
        return End();
    }

    /// <summary>The patch playing now (a swap), or the failure that silenced it.</summary>
    public ReadOnlyMemory<byte> Source(PatchTraits source, long version, string? error)
    {
        Begin("source");
        _writer.WriteNumber("version", version);
        _writer.WriteString("name", source.Name);
        WriteTraits(source);
        if (error is not null)
        {
            _writer.WriteString("error", error);
        }
        return End();
    }

    public ReadOnlyMemory<byte> Error(ProtocolError error)
    {
        Begin("error");
        _writer.WriteString("code", error.Code);
        _writer.WriteString("message", error.Message);
        return End();
    }

    // What the player shows for the patch: its keyboard when it has keys, its sliders when they are heard.
    private void WriteTraits(PatchTraits source)
    {
        if (source.Keys)
        {
            _writer.WriteBoolean("keys", true);
        }
        _writer.WriteBoolean("sliders", source.Sliders);
    }

    private void Begin(string op)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        _writer.WriteStartObject();
        _writer.WriteString("op", op);
    }

    private ReadOnlyMemory<byte> End()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }

    private void WriteParameters(SynthParameters parameters, long version)
    {
        _writer.WriteStartObject();
        WriteParameterFields(parameters, version);
        _writer.WriteEndObject();
    }

    private void WriteParameterFields(SynthParameters parameters, long version)
    {
        _writer.WriteNumber("version", version);
        _writer.WriteNumber("gain", parameters.Gain);
        _writer.WriteStartArray("components");
        foreach (var component in parameters.Components)
        {
            _writer.WriteStartObject();
            _writer.WriteNumber("frequency", component.Frequency);
            _writer.WriteNumber("amplitude", component.Amplitude);
            _writer.WriteEndObject();
        }
        _writer.WriteEndArray();
    }
}
