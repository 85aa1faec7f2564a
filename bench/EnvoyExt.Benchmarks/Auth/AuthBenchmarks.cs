using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;
using EnvoyExt.Filters.Auth;

namespace EnvoyExt.Benchmarks.Auth;

/// <summary>
/// One request's request-headers hook through the SDK and the testing library's fake Envoy: an API-key
/// check and a JWT check whose verification is cached, against a passthrough filter in the same run (the
/// fake's own cost, stream set-up included, is in every row; the difference is the filter's).
/// </summary>
[MemoryDiagnoser]
public class AuthFilterBenchmarks : IDisposable
{
    private FakeEnvoy _envoy = null!;
    private FakeFilterConfig _passthrough = null!;
    private FakeFilterConfig _apiKey = null!;
    private FakeFilterConfig _jwt = null!;
    private string _token = null!;
    private RSA _rsa = null!;

    [GlobalSetup]
    public void Setup()
    {
        _envoy = new FakeEnvoy(new AuthFilterFactory(), new PassthroughFactory());
        _envoy.SetSecret("keys", "svc:key-0123456789abcdef0123\nother:key-abcdefabcdefabcdefab\n");
        _rsa = RSA.Create(2048);
        var (jwks, token) = AuthBenchTokens.Rs256(_rsa);
        _token = token;
        _passthrough = _envoy.CreateConfig("bench_passthrough", "");
        _apiKey = _envoy.CreateConfig("auth", """{"apiKey":{"secret":"keys","clientIdHeader":"x-client-id"}}""");
        _jwt = _envoy.CreateConfig("auth", "{\"jwt\":{\"jwks\":{\"inline\":" + AuthBenchTokens.JsonString(jwks) +
            "},\"claimsToHeaders\":[{\"claim\":\"sub\",\"header\":\"x-sub\"}]}}");
        Jwt();
    }

    [Benchmark(Baseline = true, Description = "SDK passthrough")]
    public uint? Passthrough() => Run(_passthrough, "x-api-key", "key-0123456789abcdef0123");

    [Benchmark(Description = "auth: API key")]
    public uint? ApiKey() => Run(_apiKey, "x-api-key", "key-0123456789abcdef0123");

    [Benchmark(Description = "auth: JWT RS256, verification cached")]
    public uint? Jwt() => Run(_jwt, "authorization", "Bearer " + _token);

    public void Dispose()
    {
        _envoy?.Dispose();
        _rsa?.Dispose();
        GC.SuppressFinalize(this);
    }

    private uint? Run(FakeFilterConfig config, string name, string value)
    {
        using var stream = _envoy.NewStream(config);
        stream.RequestHeaders.Add(":method", "GET").Add(":path", "/api").Add(name, value);
        stream.SendRequestHeaders();
        return stream.LocalReply?.Status;
    }

    private sealed class PassthroughFactory : HttpFilterFactory
    {
        public override string FilterName => "bench_passthrough";

        public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
        {
            error = null;
            return new PassthroughConfig();
        }
    }

    private sealed class PassthroughConfig : HttpFilterConfig
    {
        public override HttpFilter CreateFilter() => new PassthroughFilter();
    }

    private sealed class PassthroughFilter : HttpFilter;
}

/// <summary>
/// The filter's own request-path work without any host: the API-key lookup, the cached-JWT check (cache
/// probe, constant-time compare of the token, exp/nbf), and a first-seen RS256 verification against the bare RSA
/// signature check it contains. Bytes/op here is the filter's own allocation.
/// </summary>
[MemoryDiagnoser]
public class AuthCoreBenchmarks : IDisposable
{
    private readonly byte[] _key = "key-0123456789abcdef0123"u8.ToArray();
    private Filters.Auth.ApiKey.ApiKeyTable _table = null!;
    private Filters.Auth.Jwt.JsonWebKeySet _keys = null!;
    private Filters.Auth.Jwt.JwtVerifier _verifier = null!;
    private byte[] _token = null!;
    private byte[] _signingInput = null!;
    private byte[] _signature = null!;
    private RSA _rsa = null!;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _table = Filters.Auth.ApiKey.ApiKeyTable.Parse("svc:key-0123456789abcdef0123\nother:key-abcdefabcdefabcdefab\n"u8, out _)!;
        _rsa = RSA.Create(2048);
        var (jwks, token) = AuthBenchTokens.Rs256(_rsa);
        _token = Encoding.ASCII.GetBytes(token);
        _keys = Filters.Auth.Jwt.JsonWebKeySet.Parse(Encoding.UTF8.GetBytes(jwks), false, 1024, out _)!;
        _verifier = new Filters.Auth.Jwt.JwtVerifier(new Filters.Auth.Jwt.JwtSettings(
            [Filters.Auth.Jwt.JwtAlgorithm.RS256], null, null, 60, ["sub"]));
        _now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        _keys.Verified.Add(_token, _verifier.Verify(_token, _keys, _now, out _)!);
        var lastDot = token.LastIndexOf('.');
        _signingInput = Encoding.ASCII.GetBytes(token[..lastDot]);
        _signature = Convert.FromBase64String(AuthBenchTokens.FromBase64Url(token[(lastDot + 1)..]));
    }

    [Benchmark(Description = "API key lookup (hash bucket + constant-time compare)")]
    public byte[]? ApiKeyLookup() => _table.Find(_key);

    [Benchmark(Description = "cached JWT check (cache probe + constant-time compare + exp/nbf)")]
    public bool CachedJwt() => _keys.Verified.TryGet(_token, out var token) && token!.IsCurrent(_now, 60);

    [Benchmark(Baseline = true, Description = "RSA-2048 SHA-256 signature check alone")]
    public bool RsaVerify() => _rsa.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "first-seen RS256 token (parse + verify + claims)")]
    public bool FirstSeenRs256() => _verifier.Verify(_token, _keys, _now, out _) is not null;

    public void Dispose()
    {
        _keys?.Dispose();
        _rsa?.Dispose();
        GC.SuppressFinalize(this);
    }
}

internal static class AuthBenchTokens
{
    public static (string Jwks, string Token) Rs256(RSA rsa)
    {
        var p = rsa.ExportParameters(false);
        var jwks = $$"""{"keys":[{"kty":"RSA","kid":"k1","n":"{{B64(p.Modulus!)}}","e":"{{B64(p.Exponent!)}}"}]}""";
        var input = B64("""{"alg":"RS256","kid":"k1","typ":"JWT"}"""u8) + "." +
            B64(Encoding.UTF8.GetBytes($$"""{"sub":"alice","iss":"https://idp.example","aud":"api","exp":4102444800,"scope":"read write"}"""));
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return (jwks, input + "." + B64(signature));
    }

    public static string JsonString(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static string FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }

    private static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
