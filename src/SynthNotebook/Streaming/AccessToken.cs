using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SynthNotebook.Streaming;

/// <summary>The secret a client must present; compared in constant time.</summary>
public sealed class AccessToken
{
    private readonly byte[] _utf8;

    /// <summary>Wraps a caller-chosen token (at least 16 characters).</summary>
    public AccessToken(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        if (value.Length < 16)
        {
            throw new ArgumentException($"A token must have at least 16 characters; got {value.Length}.", nameof(value));
        }
        Value = value;
        _utf8 = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>The token as it goes into URLs and hellos (URL-safe).</summary>
    public string Value { get; }

    private static readonly Lazy<AccessToken> ProcessToken = new(CreateRandom);

    /// <summary>The random token every server of this process uses unless it is given its own.</summary>
    public static AccessToken ForThisProcess => ProcessToken.Value;

    /// <summary>A new random 128-bit token, URL-safe.</summary>
    public static AccessToken CreateRandom() => new(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));

    /// <summary>True when <paramref name="candidate"/> is this token.</summary>
    public bool Matches(string candidate)
        => CryptographicOperations.FixedTimeEquals(_utf8, Encoding.UTF8.GetBytes(candidate));

    /// <inheritdoc />
    public override string ToString() => Value;
}
