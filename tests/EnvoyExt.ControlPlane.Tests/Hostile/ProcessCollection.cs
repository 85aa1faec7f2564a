namespace EnvoyExt.ControlPlane.Tests.Hostile;

/// <summary>
/// Tests that run the real controller process and judge its responsiveness (the soak's one-second
/// update bound, SIGTERM): run alone, after the parallel tests, so the other tests of this assembly
/// do not compete with them for the CPU.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "controller process";
}
