namespace EnvoyExt.Filters.Fault;

/// <summary>What a rule decided for one request: nothing, a delay, an abort, or a delay followed by an abort.</summary>
internal readonly struct FaultPlan(int delayMs, bool abort, bool grpcAbort, uint status)
{
    public int DelayMs { get; } = delayMs;

    public bool Abort { get; } = abort;

    /// <summary>Answer with <c>grpc-status: Status</c> (HTTP 200) instead of HTTP status <see cref="Status"/>.</summary>
    public bool GrpcAbort { get; } = grpcAbort;

    public uint Status { get; } = status;

    public bool IsNone => DelayMs == 0 && !Abort;
}
