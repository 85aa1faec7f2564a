namespace EnvoyExt.DynamicModules.Tests;

/// <summary>
/// Tests that install a callback table (fake Envoys, resolution checks with missing callbacks) share the
/// SDK's process-wide table, so they never run in parallel.
/// </summary>
[CollectionDefinition("EnvoyCallbacks", DisableParallelization = true)]
public sealed class EnvoyCallbacksCollection;
