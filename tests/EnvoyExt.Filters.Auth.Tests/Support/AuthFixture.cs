using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.Filters.Auth.Tests.Support;

/// <summary>A fake Envoy with the auth filter on a fake clock, and a request helper.</summary>
public abstract class AuthFixture : IDisposable
{
    private protected AuthFixture()
    {
        Envoy = new FakeEnvoy(new AuthFilterFactory(Time));
    }

    private protected FakeTime Time { get; } = new();

    private protected FakeEnvoy Envoy { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Envoy.Dispose();
        }
    }

    private protected FakeFilterConfig Config(string json) => Envoy.CreateConfig("auth", json);

    /// <summary>Sends GET <paramref name="path"/> with the headers; the stream is returned for inspection.</summary>
    private protected FakeStream Send(FakeFilterConfig config, string path = "/api", params (string Name, string Value)[] headers)
    {
        var stream = Envoy.NewStream(config);
        stream.RequestHeaders.Add(":method", "GET").Add(":path", path).Add(":authority", "example.com");
        foreach (var (name, value) in headers)
        {
            stream.RequestHeaders.Add(name, value);
        }
        stream.SendRequestHeaders();
        return stream;
    }
}
