using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SynthNotebook.Streaming;

/// <summary>
/// A block of the client's audio in duplex mode (docs/protocol.md): the same 16-byte little-endian header as a server
/// block (u64 sequence, u32 reserved, u32 sample count), then the samples as little-endian float32.
/// </summary>
internal static class UpstreamFrame
{
    /// <summary>
    /// Checks a frame and copies its samples into <paramref name="samples"/> (whose length is the connection's block
    /// size); on failure <paramref name="problem"/> says what is wrong, for the close reason.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, Span<float> samples, out long sequence, out string problem)
    {
        sequence = 0;
        if (frame.Length < BlockFrame.HeaderBytes)
        {
            problem = $"An upstream frame starts with a {BlockFrame.HeaderBytes}-byte header; got {frame.Length} bytes.";
            return false;
        }
        var count = BinaryPrimitives.ReadUInt32LittleEndian(frame[12..]);
        if (count != samples.Length)
        {
            problem = $"Upstream frames carry blockSize ({samples.Length}) samples; this header says {count}.";
            return false;
        }
        var payload = frame[BlockFrame.HeaderBytes..];
        if (payload.Length != count * sizeof(float))
        {
            problem = $"An upstream frame of {count} samples has {count * sizeof(float)} bytes after its header; got {payload.Length}.";
            return false;
        }
        MemoryMarshal.Cast<byte, float>(payload).CopyTo(samples);
        BlockFrame.SwapWireByteOrder(samples);
        for (var i = 0; i < samples.Length; i++)
        {
            if (!float.IsFinite(samples[i]))
            {
                problem = $"Upstream sample {i} is {samples[i]}; samples must be finite.";
                return false;
            }
        }
        sequence = BinaryPrimitives.ReadInt64LittleEndian(frame);
        problem = "";
        return true;
    }
}
