namespace EnvoyExt.ControlPlane.GatewayApi.Status;

/// <summary>A Kubernetes status condition. Status is "True" or "False" as in the API.</summary>
public sealed record Condition(string Type, string Status, string Reason, string Message, long ObservedGeneration)
{
    public static Condition True(string type, string reason, string message, long generation) =>
        new(type, "True", reason, message, generation);

    public static Condition False(string type, string reason, string message, long generation) =>
        new(type, "False", reason, message, generation);
}
