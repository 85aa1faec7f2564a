namespace EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;

/// <summary>A kubeconfig in a temp file pointing at the double (plain HTTP, a bearer token the double does not check); deleted on dispose.</summary>
internal sealed class KubeconfigFile : IDisposable
{
    public KubeconfigFile(Uri server, string defaultNamespace = "default")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"envoyext-kubeconfig-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(Path, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: double
                cluster:
                  server: {server.GetLeftPart(UriPartial.Authority)}
            users:
              - name: tester
                user:
                  token: double-token
            contexts:
              - name: double
                context:
                  cluster: double
                  user: tester
                  namespace: {defaultNamespace}
            current-context: double

            """);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
