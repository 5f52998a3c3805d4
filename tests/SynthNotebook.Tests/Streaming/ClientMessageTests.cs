using System.Buffers.Binary;
using System.Text;
using SynthNotebook.Streaming;

namespace SynthNotebook.Tests.Streaming;

/// <summary>The control-message parser and the block frame, on their own (internal types).</summary>
public class ClientMessageTests
{
    private static ClientMessage Parse(string json)
    {
        var ok = ClientMessage.TryParse(Encoding.UTF8.GetBytes(json), out var message, out var error);
        Assert.True(ok, $"Expected {json} to parse; got {error.Code}: {error.Message}");
        Assert.Equal(default, error);
        return message;
    }

    private static ProtocolError Refuse(string json)
    {
        var ok = ClientMessage.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error);
        Assert.False(ok, $"Expected {json} to be refused.");
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }

    [Fact]
    public void Hello()
    {
        var hello = Parse("{\"op\":\"hello\",\"token\":\"abc-DEF_123\",\"sampleRate\":48000,\"blockSize\":256,\"version\":1}");

        Assert.Equal(new ClientMessage(ClientOp.Hello, Token: "abc-DEF_123", SampleRate: 48000, BlockSize: 256), hello);
    }

    [Fact]
    public void HelloWithoutOptionalFields()
    {
        Assert.Equal(new ClientMessage(ClientOp.Hello), Parse("{\"op\":\"hello\"}"));
    }

    [Fact]
    public void Credit()
    {
        Assert.Equal(new ClientMessage(ClientOp.Credit, Blocks: 3), Parse("{\"op\":\"credit\",\"blocks\":3}"));
    }

    [Fact]
    public void CreditKeepsAFractionForTheRangeCheckToRefuse()
    {
        Assert.Equal(1.5, Parse("{\"op\":\"credit\",\"blocks\":1.5}").Blocks);
    }

    [Fact]
    public void Set()
    {
        Assert.Equal(new ClientMessage(ClientOp.Set, Component: 2, Frequency: 440.5, Amplitude: 0.25),
            Parse("{\"op\":\"set\",\"component\":2,\"frequency\":440.5,\"amplitude\":0.25}"));
        Assert.Equal(new ClientMessage(ClientOp.Set, Gain: 0.5), Parse("{\"op\":\"set\",\"gain\":5e-1}"));
    }

    [Fact]
    public void PropertyOrderAndWhitespaceDoNotMatter()
    {
        Assert.Equal(new ClientMessage(ClientOp.Set, Component: 0, Frequency: 300),
            Parse(" \r\n{ \"frequency\" : 300 ,\n\t\"component\":0, \"op\" : \"set\" }  \n"));
    }

    [Fact]
    public void UnknownPropertiesAreIgnored()
    {
        var message = Parse("{\"op\":\"credit\",\"future\":{\"nested\":[1,{\"blocks\":99},\"x\"]},\"blocks\":2," +
                            "\"list\":[],\"flag\":true,\"none\":null,\"text\":\"blocks\"}");

        Assert.Equal(new ClientMessage(ClientOp.Credit, Blocks: 2), message);
    }

    [Theory]
    [InlineData("\"NaN\"", double.NaN)]
    [InlineData("\"Infinity\"", double.PositiveInfinity)]
    [InlineData("\"-Infinity\"", double.NegativeInfinity)]
    public void NonFiniteNumbersAreReadFromStrings(string literal, double expected)
    {
        var message = Parse($"{{\"op\":\"set\",\"component\":0,\"frequency\":{literal},\"amplitude\":{literal},\"gain\":{literal}}}");

        Assert.Equal(expected, message.Frequency);
        Assert.Equal(expected, message.Amplitude);
        Assert.Equal(expected, message.Gain);
        Assert.Equal(double.IsNaN(expected), double.IsNaN(message.Frequency!.Value));
    }

    [Theory]
    [InlineData("{\"op\":\"credit\",\"blocks\":\"3\"}", "blocks")]
    [InlineData("{\"op\":\"credit\",\"blocks\":true}", "blocks")]
    [InlineData("{\"op\":\"credit\",\"blocks\":null}", "blocks")]
    [InlineData("{\"op\":\"credit\",\"blocks\":[3]}", "blocks")]
    [InlineData("{\"op\":\"set\",\"component\":{\"i\":0}}", "component")]
    [InlineData("{\"op\":\"set\",\"component\":0,\"frequency\":\"nan\"}", "frequency")]
    [InlineData("{\"op\":\"set\",\"component\":0,\"amplitude\":\"1\"}", "amplitude")]
    [InlineData("{\"op\":\"set\",\"gain\":false}", "gain")]
    [InlineData("{\"op\":\"hello\",\"sampleRate\":\"48000\"}", "sampleRate")]
    [InlineData("{\"op\":\"hello\",\"blockSize\":{}}", "blockSize")]
    public void WrongTypesAreInvalidValues(string json, string field)
    {
        var error = Refuse(json);

        Assert.Equal(ProtocolError.InvalidValue, error.Code);
        Assert.Contains(field, error.Message);
    }

    [Theory]
    [InlineData("{\"op\":\"credit\",\"blocks\":1} x")]
    [InlineData("{\"op\":\"credit\",\"blocks\":1}}")]
    [InlineData("{\"op\":\"credit\",\"blocks\":1}{\"op\":\"credit\",\"blocks\":1}")]
    [InlineData("{\"op\":\"credit\",\"blocks\":1},")]
    [InlineData("{\"op\":\"credit\",\"blocks\":")]
    [InlineData("{\"op\":\"credit\" \"blocks\":1}")]
    [InlineData("{\"op\":'credit'}")]
    [InlineData("{op:\"credit\"}")]
    [InlineData("{\"op\":\"credit\",\"blocks\":1,}")]
    [InlineData("{")]
    [InlineData("{\"op\":\"credit\",\"blocks\":NaN}")]
    public void MalformedOrTrailingGarbageIsInvalidJson(string json)
    {
        Assert.Equal(ProtocolError.InvalidJson, Refuse(json).Code);
    }

    [Fact]
    public void InvalidUtf8IsInvalidJson()
    {
        byte[] json = [.. "{\"op\":\"hello\",\"token\":\""u8, 0xFF, 0xFE, .. "\"}"u8];

        Assert.False(ClientMessage.TryParse(json, out _, out var error));
        Assert.Equal(ProtocolError.InvalidJson, error.Code);
    }

    [Theory]
    [InlineData("{\"op\":\"dance\"}", "dance")]
    [InlineData("{\"op\":\"Credit\",\"blocks\":1}", "Credit")]
    [InlineData("{\"blocks\":1}", "op")]
    [InlineData("{}", "op")]
    [InlineData("{\"op\":7}", "op")]
    public void MissingOrUnknownOpIsUnknownOp(string json, string named)
    {
        var error = Refuse(json);

        Assert.Equal(ProtocolError.UnknownOp, error.Code);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void AnUnknownOpIsEchoedShortSoAReplyIsNeverAMultipleOfTheMessage()
    {
        var op = new string('x', 60_000);

        var error = Refuse($"{{\"op\":\"{op}\"}}");

        Assert.Contains(new string('x', 40) + "…", error.Message);
        Assert.True(error.Message.Length < 200, $"{error.Message.Length} characters");
    }

    [Theory]
    [InlineData("Get block", false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("[1,2]", false)]
    [InlineData("{\"op\":\"credit\"}", true)]
    [InlineData(" \t\r\n{", true)]
    public void LooksLikeJsonOnlyWhenTheFirstNonBlankIsABrace(string text, bool expected)
    {
        Assert.Equal(expected, ClientMessage.LooksLikeJson(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void BlockFrameHeaderIsLittleEndianWithTheLow32BitsOfTheVersion()
    {
        var frame = new BlockFrame(4);
        frame.Samples[0] = 0.5f;
        frame.Samples[3] = -1f;

        frame.Seal(0x0102030405060708, 0x1_0000_0007);

        var bytes = frame.WithHeader.ToArray();
        Assert.Equal(16 + 4 * sizeof(float), bytes.Length);
        Assert.Equal(0x0102030405060708UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal([0.5f, 0f, 0f, -1f], Block.ReadSamples(frame.SamplesOnly.Span));
        Assert.Equal(frame.SamplesOnly.ToArray(), bytes[16..]);
    }
}
