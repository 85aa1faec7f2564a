using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Tests;

public class ExceptionBarrierDecisionTests
{
    [Theory]
    [InlineData(nameof(StreamHook.RequestHeaders))]
    [InlineData(nameof(StreamHook.RequestBody))]
    [InlineData(nameof(StreamHook.RequestTrailers))]
    [InlineData(nameof(StreamHook.Scheduled))]
    [InlineData(nameof(StreamHook.HttpCalloutDone))]
    [InlineData(nameof(StreamHook.HttpStreamHeaders))]
    [InlineData(nameof(StreamHook.HttpStreamData))]
    [InlineData(nameof(StreamHook.HttpStreamTrailers))]
    [InlineData(nameof(StreamHook.HttpStreamComplete))]
    [InlineData(nameof(StreamHook.HttpStreamReset))]
    public void Request_side_failures_send_a_local_500_until_the_response_started(string hookName)
    {
        var hook = Enum.Parse<StreamHook>(hookName);
        Assert.Equal(BarrierAction.SendLocal500, ExceptionBarrier.Decide(hook, responseStarted: false));
        Assert.Equal(BarrierAction.ResetStream, ExceptionBarrier.Decide(hook, responseStarted: true));
    }

    [Theory]
    [InlineData(nameof(StreamHook.ResponseHeaders))]
    [InlineData(nameof(StreamHook.ResponseBody))]
    [InlineData(nameof(StreamHook.ResponseTrailers))]
    public void Response_side_failures_reset_the_stream(string hookName)
    {
        var hook = Enum.Parse<StreamHook>(hookName);
        Assert.Equal(BarrierAction.ResetStream, ExceptionBarrier.Decide(hook, responseStarted: false));
        Assert.Equal(BarrierAction.ResetStream, ExceptionBarrier.Decide(hook, responseStarted: true));
    }

    [Theory]
    [InlineData(nameof(StreamHook.StreamComplete))]
    [InlineData(nameof(StreamHook.Destroy))]
    [InlineData(nameof(StreamHook.LocalReply))]
    public void Finished_or_unreachable_streams_are_only_logged(string hookName) =>
        Assert.Equal(BarrierAction.LogOnly, ExceptionBarrier.Decide(Enum.Parse<StreamHook>(hookName), responseStarted: false));

    [Fact]
    public void Failed_hooks_return_stop_statuses_with_Envoy_numbering()
    {
        Assert.Equal(1, ExceptionBarrier.FailedStatus(StreamHook.RequestHeaders));   // StopIteration
        Assert.Equal(3, ExceptionBarrier.FailedStatus(StreamHook.RequestBody));      // StopIterationNoBuffer
        Assert.Equal(1, ExceptionBarrier.FailedStatus(StreamHook.ResponseTrailers)); // StopIteration
        Assert.Equal(1, ExceptionBarrier.FailedStatus(StreamHook.LocalReply));       // ContinueAndResetStream
    }

    [Fact]
    public void Log_line_names_filter_hook_and_exception()
    {
        var line = ExceptionBarrier.Describe("rate_limit", StreamHook.ResponseBody, new InvalidOperationException("boom"));
        Assert.Equal("rate_limit: exception in response_body: System.InvalidOperationException: boom", line);
    }

    [Fact]
    public void Every_hook_is_named_by_its_ABI_suffix()
    {
        Assert.Equal(Enum.GetValues<StreamHook>().Length, ExceptionBarrier.HookNames.Length);
        foreach (var hook in Enum.GetValues<StreamHook>())
        {
            // RequestHeaders -> request_headers: the table is indexed by the enum, so an entry out of place is a wrong log line.
            var suffix = string.Concat(hook.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
            Assert.Equal(suffix, ExceptionBarrier.HookName(hook));
        }
    }
}
