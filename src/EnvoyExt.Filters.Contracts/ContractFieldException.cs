using System.Text.Json;

namespace EnvoyExt.Filters.Contracts;

/// <summary>
/// Thrown by a contract's JSON converters when a value is well-formed JSON but not a valid value for
/// its field; its message is the reason, and the reader prefixes the field's path.
/// </summary>
public class ContractFieldException(string reason) : JsonException(reason);
