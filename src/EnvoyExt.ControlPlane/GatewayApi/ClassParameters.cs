using System.Globalization;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// What one of our GatewayClasses configures through its parametersRef: the Redis of Global rate-limit
/// rules (null when it configures none), or why its parameters are invalid (reported on the class as
/// <c>InvalidParameters</c>; its Gateways are served without Redis).
/// </summary>
internal sealed record ClassParameters(string ClassName, IrRateLimitBackend? RateLimit, string? Error);

/// <summary>Resolves a GatewayClass's parametersRef to an <see cref="EnvoyExtParameters"/> and checks it.</summary>
internal sealed class ClassParametersResolver(IReadOnlyList<EnvoyExtParameters> parameters, ResourceIndex index)
{
    /// <summary>The SDS generic secret name prefix of a Redis password (see <see cref="GenericSecretResolver.SdsName"/>).</summary>
    public const string PasswordPurpose = "redis-password";

    private readonly Dictionary<string, EnvoyExtParameters> _byKey = parameters.ToDictionary(p => p.Metadata.Key, StringComparer.Ordinal);

    public ClassParameters Resolve(GatewayClass gatewayClass)
    {
        var name = gatewayClass.Metadata.Name;
        if (gatewayClass.ParametersRef is not { } reference)
        {
            return new ClassParameters(name, null, null);
        }

        if (reference.Group != GroupNames.EnvoyExt || reference.Kind != EnvoyExtParameters.KindName)
        {
            return Invalid(name, $"spec.parametersRef: {reference.Group}/{reference.Kind} is not supported; use {GroupNames.EnvoyExt}/{EnvoyExtParameters.KindName}");
        }

        if (reference.Namespace is not { } ns)
        {
            return Invalid(name, $"spec.parametersRef.namespace: required ({EnvoyExtParameters.KindName} is namespaced)");
        }

        if (!_byKey.TryGetValue(ns + "/" + reference.Name, out var found))
        {
            return Invalid(name, $"spec.parametersRef: {EnvoyExtParameters.KindName} {ns}/{reference.Name} does not exist");
        }

        if (found.RateLimit is not { } rateLimit)
        {
            return new ClassParameters(name, null, null);
        }

        var (backend, error) = Backend(found, rateLimit);
        return error is null ? new ClassParameters(name, backend, null) : Invalid(name, $"{EnvoyExtParameters.KindName} {found.Metadata.Key}: {error}");
    }

    private static ClassParameters Invalid(string name, string error) => new(name, null, error);

    private (IrRateLimitBackend? Backend, string? Error) Backend(EnvoyExtParameters owner, GlobalRateLimitParameters spec)
    {
        int? timeoutMs = null;
        if (spec.Timeout is { } timeout)
        {
            var ms = GatewayDurations.TryParseMs(timeout, out var durationError);
            if (ms is null)
            {
                return (null, $"spec.rateLimit.redis.timeout: {durationError}");
            }

            if (ms is < 1 or > RateLimitFilterContract.MaxRedisTimeoutMs)
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"spec.rateLimit.redis.timeout: must be between 1ms and {RateLimitFilterContract.MaxRedisTimeoutMs}ms (got {timeout})"));
            }

            timeoutMs = (int)ms.Value;
        }

        IrGenericSecret? password = null;
        if (spec.PasswordRef is { } passwordRef)
        {
            var ns = owner.Metadata.Namespace;
            var secret = index.Secret(ns, passwordRef.Name);
            if (secret is null)
            {
                return (null, $"spec.rateLimit.redis.passwordRef: Secret {ns}/{passwordRef.Name} does not exist");
            }

            if (!secret.Data.TryGetValue(passwordRef.Key, out var value))
            {
                return (null, $"spec.rateLimit.redis.passwordRef.key: Secret {ns}/{passwordRef.Name} has no key \"{passwordRef.Key}\"");
            }

            password = new IrGenericSecret(GenericSecretResolver.SdsName(PasswordPurpose, ns, passwordRef.Name + "/" + passwordRef.Key), value);
        }

        var settings = new GlobalRateLimitSettings
        {
            Redis = new RedisSettings
            {
                Addresses = [.. spec.Addresses],
                Tls = spec.Tls,
                Database = spec.Database,
                KeyPrefix = spec.KeyPrefix,
                TimeoutMs = timeoutMs,
                Username = spec.Username,
                PasswordSecret = password?.Name,
                PasswordSecretSource = password is null ? null : "Ads",
            },
            Batch = spec.Batch,
            FailOpen = spec.FailOpen,
            FailureStatusCode = spec.FailureStatusCode,
            MaxWaiting = spec.MaxWaiting,
        };

        // The filter's own validator, so accepted parameters are ones the filter loads; its paths
        // ("global.redis.addresses[0]") are the CRD's below spec.rateLimit.
        if (RateLimitConfigJson.Validate(new RateLimitConfig { Global = settings }, RateLimitConfigLevel.Listener) is { } error)
        {
            return (null, error.StartsWith("global.", StringComparison.Ordinal) ? "spec.rateLimit." + error["global.".Length..] : error);
        }

        return (new IrRateLimitBackend(settings, password), null);
    }
}
