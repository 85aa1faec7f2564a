using System.Text.Json.Nodes;

namespace EnvoyExt.Demo;

/// <summary>Prints one row per request: what the client saw.</summary>
internal static class BurstTable
{
    public static void Print(JsonObject result, TextWriter output)
    {
        output.WriteLine($"{"request",-8} {"x-user",-8} {"status",-7} {"limit",-6} {"remaining",-10} {"reset",-6} {"retry-after",-11}");
        foreach (var item in result["results"]?.AsArray() ?? [])
        {
            var response = item?["downstream_response"];
            output.WriteLine(
                $"{(int?)item?["index"] + 1,-8} {RequestUser(result, item),-8} {(int?)response?["status"],-7} {Header(response, "x-ratelimit-limit"),-6} " +
                $"{Header(response, "x-ratelimit-remaining"),-10} {Header(response, "x-ratelimit-reset"),-6} " +
                $"{Header(response, "retry-after"),-11}");
        }

        foreach (var error in result["config_errors"]?.AsArray() ?? [])
        {
            output.WriteLine($"config rejected: {error?.ToJsonString()}");
        }
    }

    private static string RequestUser(JsonObject result, JsonNode? item)
    {
        // Results carry no request headers; map the result back to its request entry by position.
        int index = (int?)item?["index"] ?? 0;
        foreach (var request in result["scenario_requests"]?.AsArray() ?? [])
        {
            int repeat = (int?)request?["repeat"] ?? 1;
            if (index < repeat)
            {
                return Header(request, "x-user");
            }

            index -= repeat;
        }

        return "-";
    }

    private static string Header(JsonNode? response, string name)
    {
        foreach (var pair in response?["headers"]?.AsArray() ?? [])
        {
            if (string.Equals((string?)pair?[0], name, StringComparison.OrdinalIgnoreCase))
            {
                return (string?)pair?[1] ?? "";
            }
        }

        return "-";
    }
}
