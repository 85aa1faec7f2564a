using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.DynamicModules.Tests;

/// <summary>Generic secrets: subscription in config_new, reads on the stream, rotation without a reload.</summary>
[Collection("EnvoyCallbacks")]
public sealed class GenericSecretTests : IDisposable
{
    private readonly FakeEnvoy _envoy = new(new KeyCheckFactory());

    public void Dispose() => _envoy.Dispose();

    [Fact]
    public void StreamsSeeTheCurrentValueAndARotationWithoutAConfigReload()
    {
        _envoy.SetSecret("api-key", "first");
        var config = _envoy.CreateConfig("key_check", "api-key");

        Assert.Null(Request(config, "first").LocalReply);
        Assert.Equal(403u, Request(config, "second").LocalReply?.Status);

        _envoy.SetSecret("api-key", "second");
        Assert.Null(Request(config, "second").LocalReply);
        Assert.Equal(403u, Request(config, "first").LocalReply?.Status);
        Assert.Equal(2, KeyCheckFactory.Parses);
    }

    [Fact]
    public void ARemovedSecretFailsClosed()
    {
        _envoy.SetSecret("api-key", "first");
        var config = _envoy.CreateConfig("key_check", "api-key");
        _envoy.RemoveSecret("api-key");

        Assert.Equal(403u, Request(config, "first").LocalReply?.Status);
    }

    [Fact]
    public void AMissingSecretRejectsTheConfigNamingItAndNeverItsValue()
    {
        var rejected = _envoy.TryCreateConfig("key_check", "nope", out var error);

        Assert.Null(rejected);
        Assert.Contains("secret 'nope'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigNewCanReadTheValueToValidateIt()
    {
        _envoy.SetSecret("api-key", "");
        var rejected = _envoy.TryCreateConfig("key_check", "api-key", out var error);

        Assert.Null(rejected);
        Assert.Contains("secret 'api-key' is empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAdsSecretIsReachedOnlyThroughAnAdsSubscription()
    {
        _envoy.SetSecret("api-keys/default/clients", "k", SecretSource.Ads);

        Assert.NotNull(_envoy.TryCreateConfig("key_check", "ads:api-keys/default/clients", out _));
        Assert.Null(_envoy.TryCreateConfig("key_check", "api-keys/default/clients", out var error));
        Assert.Contains("Envoy refused the subscription", error, StringComparison.Ordinal);
    }

    private FakeStream Request(FakeFilterConfig config, string key)
    {
        var stream = _envoy.NewStream(config);
        stream.RequestHeaders.Set("x-key", key);
        stream.SendRequestHeaders();
        return stream;
    }

    private sealed class KeyCheckFactory : HttpFilterFactory
    {
        [ThreadStatic] private static int t_parses;

        public static int Parses => t_parses;

        public override string FilterName => "key_check";

        public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
        {
            t_parses = 0;
            var text = Encoding.UTF8.GetString(config);
            var secret = text.StartsWith("ads:", StringComparison.Ordinal)
                ? context.SubscribeSecret(text[4..], SecretSource.Ads)
                : context.SubscribeSecret(text, SecretSource.Static);
            if (!context.TryGetSecret(secret, out var value) || value.IsEmpty)
            {
                error = $"secret '{secret.Name}' is empty";
                return null;
            }
            error = null;
            return new KeyCheckConfig(new SecretView<byte[]>(secret, bytes =>
            {
                t_parses++;
                return bytes.ToArray();
            }));
        }
    }

    private sealed class KeyCheckConfig(SecretView<byte[]> key) : HttpFilterConfig
    {
        public SecretView<byte[]> Key => key;

        public override HttpFilter CreateFilter() => new KeyCheckFilter(this);
    }

    private sealed class KeyCheckFilter(KeyCheckConfig config) : HttpFilter
    {
        public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            var expected = config.Key.Get(ctx);
            if (expected is not null && ctx.RequestHeaders.TryGet("x-key"u8, out var presented) &&
                System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                return HeadersStatus.Continue;
            }
            ctx.SendLocalResponse(403, "denied"u8, "key_check_denied"u8);
            return HeadersStatus.StopIteration;
        }
    }
}
