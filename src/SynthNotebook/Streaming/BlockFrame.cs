using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SynthNotebook.Streaming;

/// <summary>
/// The binary frame that carries one block (docs/protocol.md): a 16-byte little-endian header followed by the samples
/// as little-endian float32. The frame buffer is allocated once per session and rendered into in place.
/// </summary>
internal sealed class BlockFrame
{
    /// <summary>u64 sequence number, u32 parameter version, u32 sample count.</summary>
    public const int HeaderBytes = 16;

    private readonly byte[] _buffer;

    public BlockFrame(int blockSize)
    {
        _buffer = new byte[HeaderBytes + blockSize * sizeof(float)];
        BlockSize = blockSize;
    }

    public int BlockSize { get; }

    /// <summary>Where the voice renders the next block.</summary>
    public Span<float> Samples => MemoryMarshal.Cast<byte, float>(_buffer.AsSpan(HeaderBytes));

    /// <summary>The whole frame, header first.</summary>
    public ReadOnlyMemory<byte> WithHeader => _buffer;

    /// <summary>The samples alone, for the seed's client, which reads every binary message as a Float32Array.</summary>
    public ReadOnlyMemory<byte> SamplesOnly => _buffer.AsMemory(HeaderBytes);

    /// <summary>Stamps the header after the samples have been rendered and fixes their byte order on big-endian hosts.</summary>
    public void Seal(long sequence, long parametersVersion)
    {
        var header = _buffer.AsSpan(0, HeaderBytes);
        BinaryPrimitives.WriteInt64LittleEndian(header, sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], unchecked((uint)parametersVersion));
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], BlockSize);
        SwapWireByteOrder(Samples);
    }

    /// <summary>
    /// Converts samples between the wire's little-endian order and the host's, in place: a no-op on little-endian
    /// hosts, its own inverse on big-endian ones, so it serves both sending and receiving.
    /// </summary>
    public static void SwapWireByteOrder(Span<float> samples)
    {
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(samples), MemoryMarshal.Cast<float, int>(samples));
        }
    }
}
