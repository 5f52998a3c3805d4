using System.Buffers.Binary;
using System.Text;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>Mono float32 WAV files round-trip bit for bit; anything else is refused with a message.</summary>
public sealed class WavFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "SynthNotebook.Tests.Wav." + Guid.NewGuid().ToString("N"));

    public WavFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string NewPath(string name = "test.wav") => Path.Combine(_directory, name);

    [Theory]
    [InlineData(44_100)]
    [InlineData(48_000)]
    [InlineData(8_000)]
    public void RenderedAudioRoundTripsExactly(int sampleRate)
    {
        var samples = new Synth().RenderSeconds(0.5, sampleRate);
        var path = NewPath();

        WavFile.Write(path, samples, sampleRate);
        var (read, readRate) = WavFile.Read(path);

        Assert.Equal(sampleRate, readRate);
        Assert.Equal(samples, read);
        Assert.Equal(44 + 4 * samples.Length, new FileInfo(path).Length);
    }

    [Fact]
    public void SpecialValuesRoundTripBitForBit()
    {
        float[] samples =
        [
            0f, -0f, 1f, -1f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.Int32BitsToSingle(0x7FC0_1234),
            1e-40f, 0.123456789f, 4f, -3.999999f,
        ];
        var path = NewPath();
        WavFile.Write(path, samples, 96_000);
        var (read, rate) = WavFile.Read(path);

        Assert.Equal(96_000, rate);
        Assert.Equal(samples.Select(BitConverter.SingleToInt32Bits), read.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void TinyFilesRoundTrip(int length)
    {
        var samples = Enumerable.Range(0, length).Select(i => 0.25f * (i + 1)).ToArray();
        var path = NewPath();
        WavFile.Write(path, samples, 22_050);
        var (read, rate) = WavFile.Read(path);
        Assert.Equal(22_050, rate);
        Assert.Equal(samples, read);
    }

    [Fact]
    public void HeaderDescribesMonoFloat32()
    {
        using var stream = new MemoryStream();
        WavFile.Write(stream, new float[] { 0.5f, -0.5f }, 44_100);
        var bytes = stream.ToArray();

        Assert.Equal(52, bytes.Length);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(44, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal("WAVEfmt ", Encoding.ASCII.GetString(bytes, 8, 8));
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20)));       // IEEE float
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22)));       // mono
        Assert.Equal(44_100, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(176_400, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(28)));  // byte rate
        Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(32)));       // block align
        Assert.Equal(32, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(34)));
        Assert.Equal("data", Encoding.ASCII.GetString(bytes, 36, 4));
        Assert.Equal(8, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(0.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(44)));
        Assert.Equal(-0.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(48)));
    }

    [Fact]
    public void ReadSkipsUnknownChunks()
    {
        // A LIST chunk of odd size (padded to even) between fmt and data, as many tools write.
        var path = NewPath();
        using (var stream = new MemoryStream())
        {
            WavFile.Write(stream, new float[] { 0.1f, 0.2f, 0.3f }, 32_000);
            var written = stream.ToArray();
            var list = new byte[8 + 5 + 1];
            Encoding.ASCII.GetBytes("LIST").CopyTo(list, 0);
            BinaryPrimitives.WriteInt32LittleEndian(list.AsSpan(4), 5);
            File.WriteAllBytes(path, [.. written[..36], .. list, .. written[36..]]);
        }
        var (read, rate) = WavFile.Read(path);
        Assert.Equal(32_000, rate);
        Assert.Equal(new[] { 0.1f, 0.2f, 0.3f }, read);
    }

    [Fact]
    public void NonWaveFileIsRefusedWithAMessage()
    {
        var path = NewPath("notes.txt");
        File.WriteAllText(path, "This is not a WAV file, just some text that is long enough.");
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(path));
        Assert.Contains("RIFF/WAVE", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void EmptyFileIsRefusedWithAMessage()
    {
        var path = NewPath("empty.wav");
        File.WriteAllBytes(path, []);
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(path));
        Assert.Contains("RIFF/WAVE", ex.Message);
    }

    /// <summary>A canonical 44-byte-header PCM file: format tag 1, <paramref name="channels"/>, <paramref name="bits"/>.</summary>
    private static byte[] PcmFile(int sampleRate, ushort channels, ushort bits, int dataBytes, ushort format = 1)
    {
        var bytes = new byte[44 + dataBytes];
        var span = bytes.AsSpan();
        Encoding.ASCII.GetBytes("RIFF").CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(bytes, 8);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], format);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], channels);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * channels * bits / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], bits);
        Encoding.ASCII.GetBytes("data").CopyTo(bytes, 36);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        return bytes;
    }

    [Fact]
    public void SixteenBitPcmIsRefusedWithAMessage()
    {
        var path = NewPath("pcm16.wav");
        File.WriteAllBytes(path, PcmFile(44_100, 1, 16, 200));
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(path));
        Assert.Contains("format 1", ex.Message);
        Assert.Contains("16 bits", ex.Message);
        Assert.Contains("32-bit float", ex.Message);
    }

    [Theory]
    [InlineData(3, 2, 32)] // stereo float
    [InlineData(3, 1, 64)] // mono double
    [InlineData(1, 1, 32)] // 32-bit integer PCM
    public void OtherFormatsAreRefused(ushort format, ushort channels, ushort bits)
    {
        var path = NewPath();
        File.WriteAllBytes(path, PcmFile(48_000, channels, bits, 64, format));
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(path));
        Assert.Contains($"format {format}, {channels} channel(s), {bits} bits", ex.Message);
    }

    [Fact]
    public void MissingDataChunkIsRefused()
    {
        var path = NewPath();
        File.WriteAllBytes(path, PcmFile(44_100, 1, 32, 0, format: 3)[..36]);
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(path));
        Assert.Contains("no data chunk", ex.Message);
    }

    [Fact]
    public void DataBeforeFmtIsRefused()
    {
        var path = NewPath();
        File.WriteAllBytes(path, RiffWithOneFourByteChunk("data"));
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(path));
        Assert.Contains("before its fmt chunk", ex.Message);
    }

    [Fact]
    public void TruncatedFmtChunkIsRefusedWithAMessage()
    {
        var path = NewPath();
        File.WriteAllBytes(path, RiffWithOneFourByteChunk("fmt "));
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(path));
        Assert.Contains("fmt chunk", ex.Message);
    }

    /// <summary>A RIFF/WAVE file holding a single chunk <paramref name="id"/> of four zero bytes.</summary>
    private static byte[] RiffWithOneFourByteChunk(string id)
    {
        var bytes = new byte[12 + 8 + 4];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        Encoding.ASCII.GetBytes("WAVE" + id).CopyTo(bytes, 8);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 4);
        return bytes;
    }

    [Theory]
    [InlineData(0xFFFF_FFFFu)] // -1 as a signed size
    [InlineData(0x8000_0000u)] // int.MinValue as a signed size
    [InlineData(0x7FFF_FFFFu)] // offset + size would overflow an int
    public void CorruptChunkSizeIsRefusedWithAMessage(uint size)
    {
        // fmt, then an unknown chunk claiming more bytes than the file has, then a data chunk never reached.
        using var stream = new MemoryStream();
        WavFile.Write(stream, new float[] { 0.5f }, 44_100);
        var written = stream.ToArray();
        var junk = new byte[8 + 4];
        Encoding.ASCII.GetBytes("junk").CopyTo(junk, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(junk.AsSpan(4), size);
        var path = NewPath();
        File.WriteAllBytes(path, [.. written[..36], .. junk, .. written[36..]]);

        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(path));
        Assert.Contains("no data chunk", ex.Message);
    }

    [Theory]
    [InlineData(0xFFFF_FFFFu)] // the "unknown length" placeholder streaming writers leave
    [InlineData(1000u)]        // a file cut short
    public void DataChunkLongerThanTheFileYieldsTheSamplesPresent(uint size)
    {
        using var stream = new MemoryStream();
        WavFile.Write(stream, new float[] { 0.5f, -0.25f, 0.125f }, 16_000);
        var bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), size);
        var path = NewPath();
        File.WriteAllBytes(path, bytes);

        var (read, rate) = WavFile.Read(path);
        Assert.Equal(16_000, rate);
        Assert.Equal(new[] { 0.5f, -0.25f, 0.125f }, read);
    }

    [Fact]
    public void WriteRejectsAnInvalidSampleRate()
    {
        using var stream = new MemoryStream();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => WavFile.Write(stream, new float[4], 0));
        Assert.Equal("sampleRate", ex.ParamName);
        Assert.Equal(0, stream.Length);
    }
}
