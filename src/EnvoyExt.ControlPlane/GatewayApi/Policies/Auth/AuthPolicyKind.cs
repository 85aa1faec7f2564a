using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.Auth;

/// <summary>
/// AuthPolicy: blocks hold an <c>extAuth</c> section (the ext_auth filter), and
/// <c>authentication</c> and <c>authorization</c> sections (the auth filter). Each block is checked
/// with the filters' own validators; merged section by section (<see cref="AuthPolicyMerge"/>).
/// The HTTPRoute's own ExternalAuth filter is more specific than any policy: a rule that has one
/// keeps it.
/// </summary>
internal sealed class AuthPolicyKind : PolicyKind<AuthPolicy, JsonObject, AuthPolicyFeature>
{
    /// <summary>The engine's key for the merged feature; it is split into the two filters' features.</summary>
    private static readonly IrFeatureKey<AuthPolicyFeature> Merged = new("auth_policy", "authPolicy");

    /// <summary>Each block parsed once (providers hand the same block objects to every translation).</summary>
    private static readonly ConditionalWeakTable<JsonObject, AuthBlock> Parsed = [];

    public override string Kind => AuthReferences.Kind;

    public override IrFeatureKey<AuthPolicyFeature> Feature => Merged;

    public override string BlockField(bool overrides) => overrides ? "spec.overrides" : "spec.defaults";

    public override string? ValidateBlock(JsonObject block, string field)
    {
        if (Parsed.TryGetValue(block, out _))
        {
            return null;
        }

        AuthBlock? parsed;
        try
        {
            parsed = block.Deserialize(AuthBlockJsonContext.Default.AuthBlock);
        }
        catch (JsonException ex)
        {
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : "." + ex.Path.TrimStart('$', '.');
            var message = ex.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            return $"{field}{path}: {(cut > 0 ? message[..cut] : message)}";
        }

        var error = parsed is null ? $"{field}: must be a mapping" : Validate(parsed, field);
        if (error is not null)
        {
            return error;
        }

        Parsed.AddOrUpdate(block, parsed!);
        return null;
    }

    public override string? ValidateReferences(AuthPolicy policy, JsonObject block, string field, PolicyContext context) =>
        AuthReferences.Check(ParsedBlock(block), policy.Metadata.Namespace, field, context);

    public override IPolicyMerge<JsonObject, AuthPolicyFeature> NewMerge() => throw new InvalidOperationException("an AuthPolicy merge resolves references: use NewMerge(PolicyContext)");

    public override IPolicyMerge<JsonObject, AuthPolicyFeature> NewMerge(PolicyContext context) => new AuthPolicyMerge(context, ParsedBlock);

    /// <summary>
    /// Sets the auth filter's feature, and ext_auth's unless the route's own ExternalAuth filter
    /// already set it (the rule's own filter is the most specific word).
    /// </summary>
    public override IrFilterFeatures ApplyFeature(IrFilterFeatures features, AuthPolicyFeature? feature)
    {
        var result = features.Get(IrFeatures.Auth) is null && feature?.Auth is null ? features : features.With(IrFeatures.Auth, feature?.Auth);
        return feature?.ExtAuth is { } extAuth && result.Get(IrFeatures.ExtAuth) is null ? result.With(IrFeatures.ExtAuth, extAuth) : result;
    }

    private static string? Validate(AuthBlock block, string field)
    {
        if (block.Disabled)
        {
            return block.ExtAuth is null && block.Authentication is null && block.Authorization is null
                ? null
                : $"{field}.disabled: must be the only field of the block";
        }

        if (block.ExtAuth is null && block.Authentication is null && block.Authorization is null)
        {
            return $"{field}: at least one of extAuth, authentication, authorization (or disabled: true) is required";
        }

        if (block.ExtAuth is { } extAuth && AuthSections.ExtAuth(extAuth, "cluster", field).Error is { } extAuthError)
        {
            return extAuthError;
        }

        if (block.Authentication is { } authn)
        {
            return AuthSections.Auth(authn, block.Authorization, null, AuthNames.Placeholders, field).Error;
        }

        return block.Authorization is { } authz ? AuthSections.AuthorizationAlone(authz, field) : null;
    }

    /// <summary>A block the engine validated (and so parsed) before using it.</summary>
    private static AuthBlock ParsedBlock(JsonObject block) =>
        Parsed.TryGetValue(block, out var parsed) ? parsed : throw new InvalidOperationException("an AuthPolicy block was used before it was validated");
}
