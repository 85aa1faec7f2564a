namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>
/// Reads <see cref="EnvoyExtParameters"/>. An unknown field is an error naming it (the CRD's schema
/// prunes nothing it does not know either), so a misspelt setting is never silently ignored.
/// </summary>
internal static class ParametersMapper
{
    public const string Version = "v1alpha1";

    public static EnvoyExtParameters EnvoyExtParameters(YamlCursor doc)
    {
        var spec = doc.Map("spec");
        Known(spec, "rateLimit");
        return new EnvoyExtParameters
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            RateLimit = spec.OptMap("rateLimit") is { } rateLimit ? RateLimit(rateLimit) : null,
        };
    }

    private static GlobalRateLimitParameters RateLimit(YamlCursor rateLimit)
    {
        Known(rateLimit, "redis", "batch", "failOpen", "failureStatusCode", "maxWaiting");
        var redis = rateLimit.Map("redis");
        Known(redis, "addresses", "tls", "database", "keyPrefix", "timeout", "username", "passwordRef");
        var password = redis.OptMap("passwordRef");
        if (password is not null)
        {
            Known(password, "name", "key");
        }

        return new GlobalRateLimitParameters
        {
            Addresses = redis.StringList("addresses"),
            Tls = redis.OptBool("tls") ?? false,
            Database = redis.OptInt("database"),
            KeyPrefix = redis.OptString("keyPrefix"),
            Timeout = redis.OptString("timeout"),
            Username = redis.OptString("username"),
            PasswordRef = password is null ? null : new SecretKeyReference(password.String("name"), password.OptString("key") ?? "password"),
            Batch = rateLimit.OptLong("batch"),
            FailOpen = rateLimit.OptBool("failOpen"),
            FailureStatusCode = rateLimit.OptInt("failureStatusCode"),
            MaxWaiting = rateLimit.OptInt("maxWaiting"),
        };
    }

    private static void Known(YamlCursor at, params string[] known)
    {
        foreach (var (key, value) in at.Node.Entries)
        {
            if (!known.Contains(key))
            {
                throw at.Error(value, at.Field(key), "unknown field");
            }
        }
    }
}
