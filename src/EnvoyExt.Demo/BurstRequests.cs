using System.Text.Json.Nodes;

namespace EnvoyExt.Demo;

/// <summary>
/// The demo's traffic: for each user in turn, the same request sent N times (a burst per user shows that
/// a Distinct selector gives every user a bucket of their own).
/// </summary>
internal static class BurstRequests
{
    public static JsonArray Create(string path, IReadOnlyList<string?> users, int count)
    {
        var requests = new JsonArray();
        foreach (var user in users)
        {
            requests.Add(new JsonObject
            {
                ["repeat"] = count,
                ["headers"] = Headers(path, user),
                ["upstream"] = new JsonObject
                {
                    ["status"] = 200,
                    ["headers"] = new JsonArray(new JsonArray("content-type", "text/plain")),
                    ["body"] = new JsonArray("hello from the upstream\n"),
                },
            });
        }

        return requests;
    }

    private static JsonArray Headers(string path, string? user)
    {
        var headers = new JsonArray
        {
            new JsonArray(":method", "GET"),
            new JsonArray(":path", path),
            new JsonArray(":authority", "quickstart.example.com"),
            new JsonArray(":scheme", "http"),
        };
        if (user is not null)
        {
            headers.Add(new JsonArray("x-user", user));
        }

        return headers;
    }
}
