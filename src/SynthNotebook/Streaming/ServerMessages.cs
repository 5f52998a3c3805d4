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
        int rewindBlocks, TimeSpan ramp, SynthParameters parameters)
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
        _writer.WritePropertyName("params");
        WriteParameters(parameters);
        return End();
    }

    public ReadOnlyMemory<byte> Parameters(SynthParameters parameters)
    {
        Begin("params");
        WriteParameterFields(parameters);
        return End();
    }

    public ReadOnlyMemory<byte> Error(ProtocolError error)
    {
        Begin("error");
        _writer.WriteString("code", error.Code);
        _writer.WriteString("message", error.Message);
        return End();
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

    private void WriteParameters(SynthParameters parameters)
    {
        _writer.WriteStartObject();
        WriteParameterFields(parameters);
        _writer.WriteEndObject();
    }

    private void WriteParameterFields(SynthParameters parameters)
    {
        _writer.WriteNumber("version", parameters.Version);
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
