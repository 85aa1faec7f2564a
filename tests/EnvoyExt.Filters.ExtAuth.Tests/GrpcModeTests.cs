using System.Buffers.Binary;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;
using EnvoyExt.Filters.ExtAuth.Config;
using EnvoyExt.Filters.ExtAuth.Tests.Wire;
using Google.Protobuf;
using HeaderValue = EnvoyExt.Filters.ExtAuth.Tests.Wire.HeaderValue;
using Struct = Google.Protobuf.WellKnownTypes.Struct;
using Value = Google.Protobuf.WellKnownTypes.Value;

namespace EnvoyExt.Filters.ExtAuth.Tests;

/// <summary>gRPC mode through the fake Envoy, the messages read and written with Google.Protobuf.</summary>
[Collection("FakeEnvoy")]
public sealed class GrpcModeTests : IDisposable
{
    private readonly FakeEnvoy _envoy = new(new ExtAuthFilterFactory());
    private readonly List<FakeStream> _streams = [];

    public void Dispose()
    {
        foreach (var stream in _streams)
        {
            stream.Dispose();
        }
        _envoy.Dispose();
    }

    private FakeStream Start(string json, bool endOfStream = true)
    {
        var config = _envoy.CreateConfig("ext_auth", json);
        var stream = _envoy.NewStream(config);
        _streams.Add(stream);
        stream.SetAttribute(AttributeId.SourceAddress, "10.1.2.3:5555");
        stream.SetAttribute(AttributeId.DestinationAddress, "[::1]:8080");
        stream.SetAttribute(AttributeId.RequestProtocol, "HTTP/1.1");
        stream.SetAttribute(AttributeId.ConnectionRequestedServerName, "shop.example");
        stream.RequestHeaders.Add(":method", "PUT").Add(":path", "/orders/7").Add(":authority", "shop.example")
            .Add(":scheme", "https").Add("x-request-id", "rid-1").Add("authorization", "Bearer abc").Add("x-remove", "secret")
            .Add("content-length", "5");
        Assert.Equal(HeadersStatus.StopIteration, stream.SendRequestHeaders(endOfStream));
        return stream;
    }

    private static byte[] Frame(IMessage message)
    {
        var bytes = message.ToByteArray();
        var framed = new byte[5 + bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)bytes.Length);
        bytes.CopyTo(framed, 5);
        return framed;
    }

    private static void Answer(FakeStream stream, CheckResponse response, string grpcStatus = "0")
    {
        var call = stream.HttpStreams[0];
        stream.DeliverHttpStreamHeaders(call.Id, false, (":status", "200"), ("content-type", "application/grpc"));
        stream.DeliverHttpStreamData(call.Id, Frame(response), false);
        stream.DeliverHttpStreamTrailers(call.Id, ("grpc-status", grpcStatus));
        stream.DeliverHttpStreamComplete(call.Id);
    }

    private static HeaderValueOption Header(string key, string value, bool? append = null, int action = 0)
    {
        var option = new HeaderValueOption { Header = new HeaderValue { Key = key, Value = value }, AppendAction = action };
        if (append is { } flag)
        {
            option.Append = new BoolValue { Value = flag };
        }
        return option;
    }

    private static Struct Metadata() => new()
    {
        Fields =
        {
            ["user"] = Value.ForString("alice"),
            ["tier"] = Value.ForNumber(3),
            ["admin"] = Value.ForBool(true),
            ["nested"] = Value.ForStruct(new Struct { Fields = { ["a"] = Value.ForString("b") } }),
        },
    };

    [Fact]
    public void The_answers_dynamic_metadata_is_written_under_the_filters_namespace_nested_values_included()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz"}""");
        var metadata = Metadata();
        metadata.Fields["groups"] = Value.ForList(Value.ForString("ops"), Value.ForStruct(new Struct { Fields = { ["id"] = Value.ForNumber(7) } }));
        metadata.Fields["none"] = Value.ForNull();

        Answer(stream, new CheckResponse { Status = new RpcStatus(), OkResponse = new OkHttpResponse(), DynamicMetadata = metadata });

        Assert.Equal(1, stream.ContinueDecodingCount);
        var (ns, bytes) = Assert.Single(stream.DynamicMetadataStructs);
        Assert.Equal("envoyext.ext_auth", ns);
        Assert.Equal(metadata, Struct.Parser.ParseFrom(bytes));
        Assert.Empty(stream.DynamicMetadata);
    }

    [Fact]
    public void A_denying_answer_writes_its_metadata_too_under_a_configured_namespace()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz","metadataNamespace":"authz.result"}""");

        Answer(stream, new CheckResponse { Status = new RpcStatus { Code = 7 }, DeniedResponse = new DeniedHttpResponse(), DynamicMetadata = Metadata() });

        Assert.Equal(403u, stream.LocalReply?.Status);
        var (ns, bytes) = Assert.Single(stream.DynamicMetadataStructs);
        Assert.Equal("authz.result", ns);
        Assert.Equal("alice", Struct.Parser.ParseFrom(bytes).Fields["user"].StringValue);
    }

    [Fact]
    public void At_most_64_entries_are_taken_from_one_answer()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz"}""");
        var metadata = new Struct();
        for (var i = 0; i < ExtAuthFilterContract.MaxMetadataEntries + 6; i++)
        {
            metadata.Fields[$"k{i:D3}"] = Value.ForNumber(i);
        }

        Answer(stream, new CheckResponse { Status = new RpcStatus(), OkResponse = new OkHttpResponse(), DynamicMetadata = metadata });

        var written = Struct.Parser.ParseFrom(Assert.Single(stream.DynamicMetadataStructs).Struct);
        Assert.Equal(ExtAuthFilterContract.MaxMetadataEntries, written.Fields.Count);
        Assert.All(written.Fields, f => Assert.Equal(metadata.Fields[f.Key], f.Value));
    }

    [Fact]
    public void Metadata_nested_deeper_than_the_bound_fails_the_check_closed_and_writes_nothing()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz"}""");
        var deep = Value.ForString("bottom");
        for (var i = 0; i < 40; i++)
        {
            deep = Value.ForList(deep);
        }
        var metadata = Metadata();
        metadata.Fields["deep"] = deep;

        Answer(stream, new CheckResponse { Status = new RpcStatus(), OkResponse = new OkHttpResponse(), DynamicMetadata = metadata });

        Assert.Equal(403u, stream.LocalReply?.Status);
        Assert.Empty(stream.DynamicMetadataStructs);
    }

    [Fact]
    public void A_metadata_key_with_a_control_character_fails_the_check_closed_and_writes_nothing()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz"}""");
        var metadata = Metadata();
        metadata.Fields["bad\nkey"] = Value.ForString("x");

        Answer(stream, new CheckResponse { Status = new RpcStatus(), OkResponse = new OkHttpResponse(), DynamicMetadata = metadata });

        Assert.Equal(403u, stream.LocalReply?.Status);
        Assert.Empty(stream.DynamicMetadata);
        Assert.Empty(stream.DynamicMetadataStructs);
    }

    [Fact]
    public void Sends_a_CheckRequest_with_the_request_attributes_over_the_Authorization_Check_method()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz","authority":"authz.internal","timeoutMs":300,"maxRequestBytes":64}""", endOfStream: false);
        stream.SendRequestBody("hello", endOfStream: true);

        var call = Assert.Single(stream.HttpStreams);
        Assert.Equal("authz", call.Cluster);
        Assert.True(call.RequestEnded);
        Assert.Contains((":path", "/envoy.service.auth.v3.Authorization/Check"), call.Headers);
        Assert.Contains((":authority", "authz.internal"), call.Headers);
        Assert.Contains(("content-type", "application/grpc"), call.Headers);
        Assert.Contains(("grpc-timeout", "300m"), call.Headers);

        var sent = call.SentBytes;
        Assert.Equal(0, sent[0]);
        Assert.Equal((uint)(sent.Length - 5), BinaryPrimitives.ReadUInt32BigEndian(sent.AsSpan(1)));
        var request = CheckRequest.Parser.ParseFrom(sent.AsSpan(5).ToArray());
        var attributes = request.Attributes;
        Assert.Equal("10.1.2.3", attributes.Source.Address.SocketAddress.Address);
        Assert.Equal(5555u, attributes.Source.Address.SocketAddress.PortValue);
        Assert.Equal("::1", attributes.Destination.Address.SocketAddress.Address);
        Assert.Equal(8080u, attributes.Destination.Address.SocketAddress.PortValue);
        Assert.Equal("shop.example", attributes.TlsSession.Sni);
        var http = attributes.Request.Http;
        Assert.Equal("rid-1", http.Id);
        Assert.Equal("PUT", http.Method);
        Assert.Equal("/orders/7", http.Path);
        Assert.Equal("shop.example", http.Host);
        Assert.Equal("https", http.Scheme);
        Assert.Equal("HTTP/1.1", http.Protocol);
        Assert.Equal(5L, http.Size);
        Assert.Equal("hello", http.RawBody.ToStringUtf8());
        Assert.Equal("Bearer abc", http.Headers["authorization"]);
        Assert.Equal("false", http.Headers["x-envoy-auth-partial-body"]);
    }

    [Fact]
    public void OK_applies_set_append_and_remove_to_the_upstream_request_and_resumes()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz"}""");
        stream.RequestHeaders.Add("x-tag", "a");
        var ok = new OkHttpResponse
        {
            Headers =
            {
                Header("x-user-id", "42"),
                Header("authorization", "replaced", append: false),
                Header("x-tag", "b", append: true),
                Header("x-new", "n", action: 1),
                Header(":path", "/hijack"),
            },
            HeadersToRemove = { "x-remove", "host" },
        };

        Answer(stream, new CheckResponse { Status = new RpcStatus { Code = 0 }, OkResponse = ok });

        Assert.Null(stream.LocalReply);
        Assert.Equal(1, stream.ContinueDecodingCount);
        Assert.Equal("42", stream.RequestHeaders.Get("x-user-id"));
        Assert.Equal(["replaced"], stream.RequestHeaders.GetAll("authorization"));
        Assert.Equal(["a", "b"], stream.RequestHeaders.GetAll("x-tag"));
        Assert.Equal("n", stream.RequestHeaders.Get("x-new"));
        Assert.Equal("/orders/7", stream.RequestHeaders.Get(":path"));
        Assert.Null(stream.RequestHeaders.Get("x-remove"));
        Assert.Equal(1UL, _envoy.Metric("ext_auth_allowed"));
    }

    [Fact]
    public void A_denial_returns_the_services_status_headers_and_body()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz"}""");
        var denied = new DeniedHttpResponse
        {
            Status = new HttpStatus { Code = 429 },
            Headers = { Header("retry-after", "7"), Header("content-length", "99") },
            Body = "slow down",
        };

        Answer(stream, new CheckResponse { Status = new RpcStatus { Code = 7 }, DeniedResponse = denied });

        var reply = Assert.IsType<FakeLocalReply>(stream.LocalReply);
        Assert.Equal(429u, reply.Status);
        Assert.Equal("slow down", reply.Body);
        Assert.Equal([("retry-after", "7")], reply.Headers);
        Assert.Equal(0, stream.ContinueDecodingCount);
        Assert.Equal(1UL, _envoy.Metric("ext_auth_denied"));
    }

    [Fact]
    public void A_denial_without_an_http_response_is_a_bare_403()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz"}""");

        Answer(stream, new CheckResponse { Status = new RpcStatus { Code = 16 } });

        Assert.Equal(403u, stream.LocalReply!.Status);
        Assert.Equal("ext_auth_denied", stream.LocalReply.Details);
    }

    [Fact]
    public void A_non_OK_grpc_status_is_an_error_and_DEADLINE_EXCEEDED_a_timeout()
    {
        var failed = Start("""{"protocol":"grpc","cluster":"authz","statusOnError":502}""");
        Answer(failed, new CheckResponse(), grpcStatus: "14");
        Assert.Equal(502u, failed.LocalReply!.Status);
        Assert.Equal(1UL, _envoy.Metric("ext_auth_error"));

        var late = Start("""{"protocol":"grpc","cluster":"authz"}""");
        var call = late.HttpStreams[0];
        late.DeliverHttpStreamHeaders(call.Id, true, (":status", "200"), ("grpc-status", "4"));
        late.DeliverHttpStreamComplete(call.Id);
        Assert.Equal("ext_auth_timeout", late.LocalReply!.Details);
        Assert.Equal(1UL, _envoy.Metric("ext_auth_timeout"));
    }

    [Fact]
    public void A_reset_stream_fails_open_when_asked()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz","failOpen":true}""");

        stream.DeliverHttpStreamReset(stream.HttpStreams[0].Id, HttpStreamResetReason.ConnectionFailure);

        Assert.Null(stream.LocalReply);
        Assert.Equal(1, stream.ContinueDecodingCount);
        Assert.Equal(1UL, _envoy.Metric("ext_auth_failed_open"));
    }

    [Fact]
    public void CR_LF_in_a_mutation_fails_closed_and_leaves_the_request_untouched()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz"}""");
        var ok = new OkHttpResponse { Headers = { Header("x-user-id", "42"), Header("x-evil", "1\r\nx-admin: yes") } };

        Answer(stream, new CheckResponse { OkResponse = ok });

        Assert.Equal(403u, stream.LocalReply!.Status);
        Assert.Null(stream.RequestHeaders.Get("x-user-id"));
        Assert.Equal(0, stream.ContinueDecodingCount);
    }

    [Fact]
    public void A_broken_message_fails_closed()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz"}""");
        var call = stream.HttpStreams[0];
        stream.DeliverHttpStreamHeaders(call.Id, false, (":status", "200"));
        stream.DeliverHttpStreamData(call.Id, [0, 0, 0, 0, 3, 0x0a, 0x05, 0x08], false);
        stream.DeliverHttpStreamTrailers(call.Id, ("grpc-status", "0"));
        stream.DeliverHttpStreamComplete(call.Id);

        Assert.Equal(403u, stream.LocalReply!.Status);
        Assert.Equal(1UL, _envoy.Metric("ext_auth_error"));
    }

    [Fact]
    public void The_client_leaving_mid_check_cancels_the_call()
    {
        var stream = Start("""{"protocol":"grpc","cluster":"authz"}""");

        stream.Complete();

        Assert.True(stream.HttpStreams[0].ResetByFilter);
        Assert.Equal(0UL, _envoy.Metric("ext_auth_error"));
    }
}
