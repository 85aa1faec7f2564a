using System.Buffers.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.ExtAuth.Config;

namespace EnvoyExt.Filters.ExtAuth;

/// <summary>HTTP mode: a 2xx answer allows, a 5xx or a failed callout is an error, anything else denies.</summary>
internal sealed partial class ExtAuthFilter
{
    public override void OnHttpCalloutDone(HttpFilterContext ctx, ulong calloutId, HttpCalloutResult result, CalloutResponse response)
    {
        if (State.Phase != Phase.Checking || State.IsStream || calloutId != State.CalloutId)
        {
            return;
        }
        if (result != HttpCalloutResult.Success)
        {
            Fail(ctx, timedOut: result == HttpCalloutResult.Reset && LooksTimedOut());
            return;
        }
        var headers = response.Headers;
        if (!headers.TryGet(":status"u8, out var statusText) || !Utf8Parser.TryParse(statusText, out uint status, out int used) ||
            used != statusText.Length || status < 200 || status > 599 || status >= 500)
        {
            Fail(ctx, timedOut: false);
            return;
        }
        if (status < 300)
        {
            if (CopyHeadersToBackend(ctx, headers))
            {
                Allow(ctx);
            }
            else
            {
                Fail(ctx, timedOut: false);
            }
            return;
        }
        DenyWithAnswer(ctx, status, headers, response.Body);
    }

    // Every listed header is checked before any is set, so a bad value leaves the request untouched.
    private bool CopyHeadersToBackend(HttpFilterContext ctx, CalloutHeaders answer)
    {
        var names = State.Settings!.HeadersToBackend;
        foreach (var name in names)
        {
            if (answer.TryGet(name, out var value) && !AnswerHeaders.IsSafe(name, value))
            {
                return false;
            }
        }
        var request = ctx.RequestHeaders;
        foreach (var name in names)
        {
            if (answer.TryGet(name, out var value) && !request.Set(name, value))
            {
                return false;
            }
        }
        return true;
    }

    private void DenyWithAnswer(HttpFilterContext ctx, uint status, CalloutHeaders answer, CalloutBody body)
    {
        if (answer.Count > ExtAuthFilterContract.MaxResponseHeaders || body.Length > ExtAuthFilterContract.MaxResponseBodyBytes)
        {
            Fail(ctx, timedOut: false);
            return;
        }
        _headerStorage ??= new byte[HeaderStorageBytes];
        var headers = new HeaderList(_headerStorage);
        for (int i = 0; i < answer.Count; i++)
        {
            var header = answer[i];
            if (AnswerHeaders.IsNotForwarded(header.Key))
            {
                continue;
            }
            if (!AnswerHeaders.IsSafe(header.Key, header.Value) || !headers.Add(header.Key, header.Value))
            {
                Fail(ctx, timedOut: false);
                return;
            }
        }
        ReadOnlySpan<byte> bytes;
        if (body.ChunkCount == 1)
        {
            bytes = body.Chunk(0);
        }
        else
        {
            var wire = Wire((int)body.Length);
            bytes = wire[..body.CopyTo(wire)];
        }
        Deny(ctx, status, headers, bytes);
    }
}
