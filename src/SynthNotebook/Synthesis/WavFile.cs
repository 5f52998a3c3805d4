using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace SynthNotebook.Synthesis;

/// <summary>Mono 32-bit IEEE float WAV files (format tag 3), the lossless format of what the synth renders.</summary>
public static class WavFile
{
    private const int HeaderBytes = 44;
    private const ushort IeeeFloat = 3;

    /// <summary>Writes <paramref name="samples"/> as a mono float32 WAV file.</summary>
    public static void Write(string path, ReadOnlySpan<float> samples, int sampleRate)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.Create(path);
        Write(stream, samples, sampleRate);
    }

    /// <summary>The bytes of a mono float32 WAV file of <paramref name="samples"/>.</summary>
    public static byte[] Bytes(ReadOnlySpan<float> samples, int sampleRate)
    {
        using var stream = new MemoryStream(HeaderBytes + samples.Length * sizeof(float));
        Write(stream, samples, sampleRate);
        return stream.ToArray();
    }

    /// <summary>Writes <paramref name="samples"/> as a mono float32 WAV stream.</summary>
    public static void Write(Stream stream, ReadOnlySpan<float> samples, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ParameterGuard.InRange(sampleRate, 1, SynthLimits.MaxSampleRate);
        var dataBytes = checked(samples.Length * sizeof(float));
        Span<byte> header = stackalloc byte[HeaderBytes];
        Encoding.ASCII.GetBytes("RIFF", header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], 36 + dataBytes);
        Encoding.ASCII.GetBytes("WAVEfmt ", header[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], IeeeFloat);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], sampleRate * sizeof(float));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], sizeof(float));
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 32);
        Encoding.ASCII.GetBytes("data", header[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], dataBytes);
        stream.Write(header);
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(samples));
            return;
        }
        Span<byte> sample = stackalloc byte[sizeof(float)];
        foreach (var value in samples)
        {
            BinaryPrimitives.WriteSingleLittleEndian(sample, value);
            stream.Write(sample);
        }
    }

    /// <summary>Reads a mono float32 WAV file written by <see cref="Write(string, ReadOnlySpan{float}, int)"/> or any tool that
    /// writes the same format; other formats are refused with a message saying what was found.</summary>
    public static (float[] Samples, int SampleRate) Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Reads WAV bytes in memory (a data URL's, a download's), as <see cref="Read(string)"/> reads a file.</summary>
    public static (float[] Samples, int SampleRate) Read(ReadOnlySpan<byte> wav) => Parse(wav, "the WAV data");

    // `path` names the source in the messages.
    private static (float[] Samples, int SampleRate) Parse(ReadOnlySpan<byte> span, string path)
    {
        if (span.Length < 12 || !span[..4].SequenceEqual("RIFF"u8) || !span[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{path} is not a RIFF/WAVE file.");
        }
        int? sampleRate = null;
        var offset = 12;
        while (offset + 8 <= span.Length)
        {
            var id = span.Slice(offset, 4);
            // Unsigned, as RIFF defines it; a chunk running past the end of the file is cut at the end.
            var size = BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 4)..]);
            var body = span.Slice(offset + 8, (int)Math.Min(size, (uint)(span.Length - offset - 8)));
            if (id.SequenceEqual("fmt "u8))
            {
                if (body.Length < 16)
                {
                    throw new InvalidDataException($"{path} has a {body.Length}-byte fmt chunk; expected at least 16 bytes.");
                }
                var format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                var channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                var bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
                if (format != IeeeFloat || channels != 1 || bits != 32)
                {
                    throw new InvalidDataException(
                        $"{path} holds format {format}, {channels} channel(s), {bits} bits; expected mono 32-bit float (format 3).");
                }
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (sampleRate is null)
                {
                    throw new InvalidDataException($"{path} has its data chunk before its fmt chunk.");
                }
                var samples = new float[body.Length / sizeof(float)];
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadSingleLittleEndian(body[(i * sizeof(float))..]);
                }
                return (samples, sampleRate.Value);
            }
            var next = offset + 8L + size + (size & 1);
            if (next > span.Length)
            {
                break;
            }
            offset = (int)next;
        }
        throw new InvalidDataException($"{path} has no data chunk.");
    }
}
