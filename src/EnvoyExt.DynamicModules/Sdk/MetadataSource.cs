namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>Where a metadata read looks (the ABI's <c>envoy_dynamic_module_type_metadata_source</c>).</summary>
public enum MetadataSource
{
    /// <summary>The stream's dynamic metadata, which filters write for later filters and access logs.</summary>
    Dynamic = 0,

    /// <summary>The matched route's metadata.</summary>
    Route = 1,

    /// <summary>The upstream cluster's metadata.</summary>
    Cluster = 2,

    /// <summary>The upstream host's metadata.</summary>
    Host = 3,

    /// <summary>The upstream host's locality metadata.</summary>
    HostLocality = 4,
}
