namespace EnvoyExt.ControlPlane.Tests.Providers;

/// <summary>A throw-away folder for provider tests, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("envoyext-provider-").FullName;

    public string Write(string name, string content)
    {
        var full = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);

        // Write then rename, as editors and kubectl-like tools do, so a reader never sees half a file.
        var temp = full + ".tmp~";
        File.WriteAllText(temp, content);
        File.Move(temp, full, overwrite: true);
        return full;
    }

    public void Delete(string name) => File.Delete(System.IO.Path.Combine(Path, name));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}

internal static class Manifests
{
    public static string Route(string name, string service = "app", int port = 8080) => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: {name}
          namespace: default
        spec:
          parentRefs:
            - name: gw
          rules:
            - backendRefs:
                - name: {service}
                  port: {port}
        """;

    public const string Gateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: envoyext
        spec:
          controllerName: gateway.envoyext.io/controller
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw
          namespace: default
        spec:
          gatewayClassName: envoyext
          listeners:
            - name: http
              port: 8080
              protocol: HTTP
        """;
}
