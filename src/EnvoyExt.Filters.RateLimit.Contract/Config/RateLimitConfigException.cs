using System.Text.Json;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>
/// A config error raised while reading JSON. Derives from JsonException so System.Text.Json fills in the
/// JSON path on the way out; the message is already the human-readable reason.
/// </summary>
public sealed class RateLimitConfigException(string reason) : JsonException(reason);
