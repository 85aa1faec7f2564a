using EnvoyExt.Filters.Contracts;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>
/// A rate_limit config error raised while reading JSON; the contract reader prefixes the JSON path
/// System.Text.Json fills in on the way out, and the message is already the human-readable reason.
/// </summary>
public sealed class RateLimitConfigException(string reason) : ContractFieldException(reason);
