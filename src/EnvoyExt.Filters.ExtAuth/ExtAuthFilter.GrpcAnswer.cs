using System.Buffers.Binary;
using System.Buffers.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.ExtAuth.Config;
using EnvoyExt.Filters.ExtAuth.Grpc;

namespace EnvoyExt.Filters.ExtAuth;

/// <summary>
/// gRPC mode: the CheckResponse arrives as data frames, the call's status in the trailers (or in the
/// headers of a trailers-only answer). The decision is made when the stream completes; a non-OK
/// grpc-status, a non-200 :status, a broken or oversized message is an error.
/// </summary>
internal sealed partial class ExtAuthFilter
{
    private const int MaxGrpcAnswer = CheckRequestEncoder.FrameHeaderLength + ExtAuthFilterContract.MaxResponseBodyBytes;

    public override void OnHttpStreamHeaders(HttpFilterContext ctx, ulong streamId, CalloutHeaders headers, bool endOfStream)
    {
        if (!IsOurStream(streamId))
        {
            return;
        }
        if (!headers.TryGet(":status"u8, out var status) || !status.SequenceEqual("200"u8))
        {
            State.AnswerBroken = true;
        }
        ReadGrpcStatus(headers);
    }

    public override void OnHttpStreamData(HttpFilterContext ctx, ulong streamId, CalloutBody data, bool endOfStream)
    {
        if (!IsOurStream(streamId) || State.AnswerBroken)
        {
            return;
        }
        long length = data.Length;
        if (State.ResponseLength + length > MaxGrpcAnswer)
        {
            State.AnswerBroken = true;
            return;
        }
        var wire = Wire(MaxGrpcAnswer);
        State.ResponseLength += data.CopyTo(wire[State.ResponseLength..]);
    }

    public override void OnHttpStreamTrailers(HttpFilterContext ctx, ulong streamId, CalloutHeaders trailers)
    {
        if (IsOurStream(streamId))
        {
            ReadGrpcStatus(trailers);
        }
    }

    public override void OnHttpStreamComplete(HttpFilterContext ctx, ulong streamId)
    {
        if (!IsOurStream(streamId))
        {
            return;
        }
        if (State.AnswerBroken || State.GrpcStatus != 0 || !TryUnframe(out var message))
        {
            Fail(ctx, timedOut: State.GrpcStatus == 4); // DEADLINE_EXCEEDED
            return;
        }
        var verdict = CheckResponseReader.Read(message, out var ok, out var denied);
        if (verdict != CheckVerdict.Malformed && !WriteDynamicMetadata(ctx, message, State.Settings!.MetadataNamespace))
        {
            verdict = CheckVerdict.Malformed;
        }
        switch (verdict)
        {
            case CheckVerdict.Allow:
                if (ApplyMutations(ctx, ok))
                {
                    Allow(ctx);
                }
                else
                {
                    Fail(ctx, timedOut: false);
                }
                break;
            case CheckVerdict.Deny:
                DenyWithCheckResponse(ctx, denied);
                break;
            default:
                Fail(ctx, timedOut: false);
                break;
        }
    }

    public override void OnHttpStreamReset(HttpFilterContext ctx, ulong streamId, HttpStreamResetReason reason)
    {
        if (IsOurStream(streamId))
        {
            Fail(ctx, timedOut: reason == HttpStreamResetReason.LocalReset && LooksTimedOut());
        }
    }

    private bool IsOurStream(ulong streamId) => State.Phase == Phase.Checking && State.IsStream && streamId == State.CalloutId;

    private void ReadGrpcStatus(CalloutHeaders headers)
    {
        if (headers.TryGet("grpc-status"u8, out var text))
        {
            State.GrpcStatus = Utf8Parser.TryParse(text, out uint code, out int used) && used == text.Length ? code : 2; // UNKNOWN
        }
    }

    // Exactly one uncompressed message.
    private bool TryUnframe(out ReadOnlySpan<byte> message)
    {
        message = default;
        if (State.ResponseLength < CheckRequestEncoder.FrameHeaderLength || _wire is null)
        {
            return false;
        }
        var framed = _wire.AsSpan(0, State.ResponseLength);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(framed[1..]);
        if (framed[0] != 0 || length != (uint)(framed.Length - CheckRequestEncoder.FrameHeaderLength))
        {
            return false;
        }
        message = framed[CheckRequestEncoder.FrameHeaderLength..];
        return true;
    }

    // The answer's dynamic_metadata, for later filters and access logs, on an allowing and a denying answer
    // alike (as ext_authz emits it). Every entry is checked before any is written, and at most
    // MaxMetadataEntries are taken. With 1.40's struct setter the entries go over as one Struct, nested
    // structs and lists included (as ext_authz sets the whole Struct); an Envoy without it gets the
    // scalars alone. False for a malformed struct.
    private static bool WriteDynamicMetadata(HttpFilterContext ctx, ReadOnlySpan<byte> message, ReadOnlySpan<byte> metadataNamespace)
    {
        int count = 0;
        var check = new DynamicMetadataReader(message);
        while (check.Next())
        {
            if (++count <= ExtAuthFilterContract.MaxMetadataEntries &&
                (!IsSafeMetadataKey(check.Key) || check.StringValue.Length > ExtAuthFilterContract.MaxHeaderValueBytes))
            {
                return false;
            }
        }
        if (check.Malformed)
        {
            return false;
        }
        if (count == 0)
        {
            return true;
        }
        if (StreamMetadata.SupportsStruct)
        {
            ctx.Metadata.TrySetStruct(metadataNamespace, MetadataStruct(message));
            return true;
        }
        WriteScalars(ctx.Metadata, message, metadataNamespace);
        return true;
    }

    // One Struct of the first MaxMetadataEntries entries (the answer may split dynamic_metadata over
    // repeated fields, which protobuf merges), each entry copied as received. The per-worker buffer is
    // large enough: the entries come from a message no longer than the largest answer.
    private static ReadOnlySpan<byte> MetadataStruct(ReadOnlySpan<byte> message)
    {
        var buffer = t_metadataStruct ??= new byte[MaxGrpcAnswer];
        var writer = new ProtoWriter(buffer);
        int taken = 0;
        var entries = new DynamicMetadataReader(message);
        while (taken < ExtAuthFilterContract.MaxMetadataEntries && entries.Next())
        {
            writer.String(1, entries.Entry); // Struct.fields: a length-delimited map entry
            taken++;
        }
        return writer.Written;
    }

    [ThreadStatic]
    private static byte[]? t_metadataStruct;

    private static void WriteScalars(StreamMetadata metadata, ReadOnlySpan<byte> message, ReadOnlySpan<byte> metadataNamespace)
    {
        int taken = 0;
        var entries = new DynamicMetadataReader(message);
        while (taken < ExtAuthFilterContract.MaxMetadataEntries && entries.Next())
        {
            taken++;
            switch (entries.Kind)
            {
                case MetadataKind.String:
                    metadata.SetString(metadataNamespace, entries.Key, entries.StringValue);
                    break;
                case MetadataKind.Number:
                    metadata.SetNumber(metadataNamespace, entries.Key, entries.NumberValue);
                    break;
                case MetadataKind.Bool:
                    metadata.SetBool(metadataNamespace, entries.Key, entries.BoolValue);
                    break;
                default:
                    break; // without the struct setter the ABI stores scalars only
            }
        }
    }

    // Any UTF-8 text without control characters, bounded like a header name.
    private static bool IsSafeMetadataKey(ReadOnlySpan<byte> key) =>
        !key.IsEmpty && key.Length <= ExtAuthFilterContract.MaxNameLength &&
        key.IndexOfAnyInRange((byte)0, (byte)0x1f) < 0 && !key.Contains((byte)0x7f);

    // Every mutation is checked before any is applied, so a bad one leaves the request untouched.
    private static bool ApplyMutations(HttpFilterContext ctx, ReadOnlySpan<byte> ok)
    {
        int count = 0;
        var check = new CheckResponseReader.HeaderOptions(ok, 2);
        while (check.Next())
        {
            if (++count > ExtAuthFilterContract.MaxResponseHeaders || !AnswerHeaders.IsSafe(check.Key, check.Value))
            {
                return false;
            }
        }
        var removals = new CheckResponseReader.HeadersToRemove(ok);
        while (removals.Next())
        {
            if (++count > ExtAuthFilterContract.MaxResponseHeaders || !AnswerHeaders.IsSafe(removals.Current, default))
            {
                return false;
            }
        }
        if (check.Malformed || removals.Malformed)
        {
            return false;
        }
        var request = ctx.RequestHeaders;
        var apply = new CheckResponseReader.HeaderOptions(ok, 2);
        while (apply.Next())
        {
            if (AnswerHeaders.IsProtected(apply.Key))
            {
                continue;
            }
            bool exists = request.TryGet(apply.Key, out _);
            bool applied = apply.Action switch
            {
                HeaderAction.Append => request.Add(apply.Key, apply.Value),
                HeaderAction.AddIfAbsent => exists || request.Add(apply.Key, apply.Value),
                HeaderAction.OverwriteIfExists => !exists || request.Set(apply.Key, apply.Value),
                _ => request.Set(apply.Key, apply.Value),
            };
            if (!applied)
            {
                return false;
            }
        }
        var remove = new CheckResponseReader.HeadersToRemove(ok);
        while (remove.Next())
        {
            if (!AnswerHeaders.IsProtected(remove.Current))
            {
                request.Remove(remove.Current);
            }
        }
        return true;
    }

    private void DenyWithCheckResponse(HttpFilterContext ctx, ReadOnlySpan<byte> denied)
    {
        ulong code = CheckResponseReader.DeniedStatus(denied, out var body, out bool malformed);
        if (malformed || (code != 0 && (code < 200 || code > 599)))
        {
            Fail(ctx, timedOut: false);
            return;
        }
        _headerStorage ??= new byte[HeaderStorageBytes];
        var headers = new HeaderList(_headerStorage);
        var options = new CheckResponseReader.HeaderOptions(denied, 2);
        while (options.Next())
        {
            if (AnswerHeaders.IsNotForwarded(options.Key))
            {
                continue;
            }
            if (headers.Count >= ExtAuthFilterContract.MaxResponseHeaders || !AnswerHeaders.IsSafe(options.Key, options.Value) ||
                !headers.Add(options.Key, options.Value))
            {
                Fail(ctx, timedOut: false);
                return;
            }
        }
        if (options.Malformed)
        {
            Fail(ctx, timedOut: false);
            return;
        }
        Deny(ctx, code == 0 ? 403u : (uint)code, headers, body);
    }
}
