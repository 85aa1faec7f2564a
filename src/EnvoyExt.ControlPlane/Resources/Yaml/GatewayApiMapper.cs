namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>Reads the Gateway API kinds. Defaults follow the v1.6 CRDs.</summary>
internal static class GatewayApiMapper
{
    public static GatewayClass GatewayClass(YamlCursor doc) => new()
    {
        ApiVersion = doc.String("apiVersion"),
        Metadata = ResourceMapper.Metadata(doc, namespaced: false),
        Origin = ResourceMapper.Origin(doc),
        ControllerName = doc.Map("spec").String("controllerName"),
        ParametersRef = doc.Map("spec").OptMap("parametersRef") is { } p
            ? new ParametersReference(p.String("group"), p.String("kind"), p.String("name"), p.OptString("namespace"))
            : null,
    };

    public static Gateway Gateway(YamlCursor doc)
    {
        var spec = doc.Map("spec");
        var frontend = spec.OptMap("tls")?.OptMap("frontend");
        return new Gateway
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            GatewayClassName = spec.String("gatewayClassName"),
            Listeners = spec.List("listeners", Listener),
            FrontendTls = frontend is null ? null : FrontendTls(frontend),
        };
    }

    /// <summary>
    /// spec.tls.frontend. A field we do not know is refused naming it rather than ignored: serving
    /// without a check its owner asked for would let in clients meant to be refused (fail closed).
    /// </summary>
    private static FrontendTls FrontendTls(YamlCursor frontend)
    {
        OnlyKnownFields(frontend, "default", "perPort");
        return new FrontendTls
        {
            Default = frontend.OptMap("default") is { } d ? TlsConfig(d) : null,
            PerPort = frontend.List("perPort", p =>
            {
                OnlyKnownFields(p, "port", "tls");
                var port = p.Int("port");
                if (port is < 1 or > 65535)
                {
                    throw p.Invalid("port", $"must be between 1 and 65535 (got {port})");
                }

                return new PortClientValidation(port, TlsConfig(p.Map("tls")));
            }),
        };
    }

    private static ClientValidation? TlsConfig(YamlCursor tls)
    {
        OnlyKnownFields(tls, "validation");
        if (tls.OptMap("validation") is not { } validation)
        {
            return null;
        }

        OnlyKnownFields(validation, "caCertificateRefs", "mode");
        var mode = validation.OptString("mode") ?? ClientValidation.AllowValidOnly;
        if (mode is not (ClientValidation.AllowValidOnly or ClientValidation.AllowInsecureFallback))
        {
            throw validation.Invalid("mode", $"must be AllowValidOnly or AllowInsecureFallback (got \"{mode}\")");
        }

        var refs = validation.List("caCertificateRefs", r => new ObjectReference(r.String("group"), r.String("kind"), r.String("name"), r.OptString("namespace")));
        if (refs.Count == 0)
        {
            throw validation.Invalid("caCertificateRefs", "at least one CA certificate reference is required");
        }

        return new ClientValidation { CaCertificateRefs = refs, Mode = mode };
    }

    private static void OnlyKnownFields(YamlCursor at, params string[] known)
    {
        foreach (var (key, value) in at.Node.Entries)
        {
            if (!known.Contains(key))
            {
                throw at.Error(value, at.Field(key), "is not supported; the Gateway is not served without it");
            }
        }
    }

    private static Listener Listener(YamlCursor l)
    {
        var port = l.Int("port");
        if (port is < 1 or > 65535)
        {
            throw l.Invalid("port", $"must be between 1 and 65535 (got {port})");
        }

        var allowed = l.OptMap("allowedRoutes");
        var namespaces = allowed?.OptMap("namespaces");
        var selector = namespaces?.OptMap("selector");
        return new Listener
        {
            Name = l.String("name"),
            Hostname = l.OptString("hostname"),
            Port = port,
            Protocol = l.String("protocol"),
            Tls = l.OptMap("tls") is { } tls ? ListenerTls(tls) : null,
            AllowedRoutes = new AllowedRoutes
            {
                NamespacesFrom = namespaces?.OptString("from") ?? "Same",
                NamespaceSelector = selector is null ? null : LabelSelector(selector),
                Kinds = allowed?.List("kinds", k => new RouteGroupKind(k.OptString("group") ?? GroupNames.GatewayApi, k.String("kind"))) ?? [],
            },
        };
    }

    private static ListenerTls ListenerTls(YamlCursor tls) => new()
    {
        Mode = tls.OptString("mode") ?? "Terminate",
        CertificateRefs = tls.List("certificateRefs", r => new SecretObjectReference
        {
            Group = r.OptString("group") ?? GroupNames.Core,
            Kind = r.OptString("kind") ?? "Secret",
            Name = r.String("name"),
            Namespace = r.OptString("namespace"),
        }),
    };

    public static TlsRoute TlsRoute(YamlCursor doc)
    {
        var spec = doc.Map("spec");
        return new TlsRoute
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            ParentRefs = spec.List("parentRefs", ParentRef),
            Hostnames = spec.StringList("hostnames"),
            Rules = spec.List("rules", StreamRule),
        };
    }

    public static TcpRoute TcpRoute(YamlCursor doc)
    {
        var spec = doc.Map("spec");
        return new TcpRoute
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            ParentRefs = spec.List("parentRefs", ParentRef),
            Rules = spec.List("rules", StreamRule),
        };
    }

    private static StreamRouteRule StreamRule(YamlCursor r) => new()
    {
        Name = r.OptString("name"),
        BackendRefs = r.List("backendRefs", BackendRef),
    };

    public static LabelSelector LabelSelector(YamlCursor s) => new()
    {
        MatchLabels = s.StringMap("matchLabels"),
        MatchExpressions = s.List("matchExpressions", e => new LabelSelectorRequirement(e.String("key"), e.String("operator"), e.StringList("values"))),
    };

    public static HttpRoute HttpRoute(YamlCursor doc)
    {
        var spec = doc.Map("spec");
        return new HttpRoute
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            ParentRefs = spec.List("parentRefs", ParentRef),
            Hostnames = spec.StringList("hostnames"),
            Rules = spec.List("rules", r => new HttpRouteRule
            {
                Name = r.OptString("name"),
                Matches = r.List("matches", HttpMatch),
                Filters = r.List("filters", Filter),
                BackendRefs = r.List("backendRefs", BackendRef),
                Timeouts = r.OptMap("timeouts") is { } t ? new HttpRouteTimeouts(t.OptString("request"), t.OptString("backendRequest")) : null,
                Retry = r.OptMap("retry") is { } retry ? new HttpRouteRetry(StatusCodes(retry, "codes"), retry.OptInt("attempts"), retry.OptString("backoff")) : null,
            }),
        };
    }

    /// <summary>A list of HTTP status codes (integers).</summary>
    private static List<int> StatusCodes(YamlCursor at, string key) =>
        at.StringList(key).Select(text => int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? code
            : throw at.Invalid(key, $"expected HTTP status codes (got \"{text}\")")).ToList();

    public static GrpcRoute GrpcRoute(YamlCursor doc)
    {
        var spec = doc.Map("spec");
        return new GrpcRoute
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            ParentRefs = spec.List("parentRefs", ParentRef),
            Hostnames = spec.StringList("hostnames"),
            Rules = spec.List("rules", r => new GrpcRouteRule
            {
                Name = r.OptString("name"),
                Matches = r.List("matches", m =>
                {
                    var method = m.OptMap("method");
                    return new GrpcRouteMatch
                    {
                        Method = method is null ? null : new GrpcMethodMatch(method.OptString("type") ?? "Exact", method.OptString("service"), method.OptString("method")),
                        Headers = m.List("headers", NameValue),
                    };
                }),
                Filters = r.List("filters", Filter),
                BackendRefs = r.List("backendRefs", BackendRef),
            }),
        };
    }

    /// <summary>
    /// BackendTLSPolicy v1. A field we do not know is refused naming it: without it the backend's
    /// certificate might be checked less strictly than its owner asked.
    /// </summary>
    public static BackendTlsPolicy BackendTlsPolicy(YamlCursor doc)
    {
        var spec = doc.Map("spec");
        OnlyKnownFields(spec, "targetRefs", "validation", "options");
        var validation = spec.Map("validation");
        OnlyKnownFields(validation, "caCertificateRefs", "wellKnownCACertificates", "hostname", "subjectAltNames");
        var targets = spec.List("targetRefs", t => new PolicyTargetReference(t.OptString("group") ?? "", t.String("kind"), t.String("name"), t.OptString("sectionName")));
        if (targets.Count == 0)
        {
            throw spec.Invalid("targetRefs", "at least one target is required");
        }

        var caRefs = validation.List("caCertificateRefs", r => new ObjectReference(r.OptString("group") ?? "", r.String("kind"), r.String("name"), null));
        var wellKnown = validation.OptString("wellKnownCACertificates");
        if ((caRefs.Count > 0) == (wellKnown is not null))
        {
            throw validation.Invalid("caCertificateRefs", "exactly one of caCertificateRefs and wellKnownCACertificates must be set");
        }

        return new BackendTlsPolicy
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            TargetRefs = targets,
            CaCertificateRefs = caRefs,
            WellKnownCaCertificates = wellKnown,
            Hostname = validation.String("hostname"),
            SubjectAltNames = validation.List("subjectAltNames", san =>
            {
                var type = san.String("type");
                return type switch
                {
                    "Hostname" => new SubjectAltName(type, san.String("hostname")),
                    "URI" => new SubjectAltName(type, san.String("uri")),
                    _ => throw san.Invalid("type", $"must be Hostname or URI (got \"{type}\")"),
                };
            }),
        };
    }

    public static ReferenceGrant ReferenceGrant(YamlCursor doc)
    {
        var spec = doc.Map("spec");
        return new ReferenceGrant
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            From = spec.List("from", f => new ReferenceGrantFrom(f.OptString("group") ?? "", f.String("kind"), f.String("namespace"))),
            To = spec.List("to", t => new ReferenceGrantTo(t.OptString("group") ?? "", t.String("kind"), t.OptString("name"))),
        };
    }

    private static ParentReference ParentRef(YamlCursor p) => new()
    {
        Group = p.OptString("group") ?? GroupNames.GatewayApi,
        Kind = p.OptString("kind") ?? "Gateway",
        Namespace = p.OptString("namespace"),
        Name = p.String("name"),
        SectionName = p.OptString("sectionName"),
        Port = p.OptInt("port"),
    };

    public static BackendReference BackendRef(YamlCursor b) => new()
    {
        Group = b.OptString("group") ?? "",
        Kind = b.OptString("kind") ?? "Service",
        Name = b.String("name"),
        Namespace = b.OptString("namespace"),
        Port = b.OptInt("port"),
        Weight = b.OptInt("weight") is { } weight
            ? weight is >= 0 and <= 1_000_000 ? weight : throw b.Invalid("weight", $"must be between 0 and 1000000 (got {weight})")
            : 1,
        Filters = b.List("filters", Filter),
    };

    private static HttpRouteMatch HttpMatch(YamlCursor m)
    {
        var path = m.OptMap("path");
        return new HttpRouteMatch
        {
            Path = path is null ? null : new HttpPathMatch(path.OptString("type") ?? "PathPrefix", path.OptString("value") ?? "/"),
            Headers = m.List("headers", NameValue),
            QueryParams = m.List("queryParams", NameValue),
            Method = m.OptString("method"),
        };
    }

    private static NameValueMatch NameValue(YamlCursor h) =>
        new(h.OptString("type") ?? "Exact", h.String("name"), h.String("value"));

    private static HttpRouteFilter Filter(YamlCursor f)
    {
        var type = f.String("type");
        return new HttpRouteFilter
        {
            Type = type,
            RequestHeaderModifier = HeaderModifier(f.OptMap("requestHeaderModifier")),
            ResponseHeaderModifier = HeaderModifier(f.OptMap("responseHeaderModifier")),
            RequestRedirect = f.OptMap("requestRedirect") is { } r ? new RequestRedirect
            {
                Scheme = r.OptString("scheme"),
                Hostname = r.OptString("hostname"),
                Path = PathModifier(r.OptMap("path")),
                Port = r.OptInt("port"),
                StatusCode = r.OptInt("statusCode") ?? 302,
            } : null,
            UrlRewrite = f.OptMap("urlRewrite") is { } u ? new UrlRewrite
            {
                Hostname = u.OptString("hostname"),
                Path = PathModifier(u.OptMap("path")),
            } : null,
            RequestMirror = f.OptMap("requestMirror") is { } mirror ? new RequestMirror
            {
                BackendRef = BackendRef(mirror.Map("backendRef")),
                Percent = mirror.OptInt("percent"),
                Fraction = mirror.OptMap("fraction") is { } fr ? (fr.Int("numerator"), fr.OptInt("denominator") ?? 100) : null,
            } : null,
            ExternalAuth = f.OptMap("externalAuth") is { } auth ? ExternalAuth(auth) : null,
            Cors = f.OptMap("cors") is { } cors ? Cors(cors) : null,
        };
    }

    private static CorsFilter Cors(YamlCursor c) => new()
    {
        AllowOrigins = c.StringList("allowOrigins"),
        AllowCredentials = c.OptBool("allowCredentials") ?? false,
        AllowMethods = c.StringList("allowMethods"),
        AllowHeaders = c.StringList("allowHeaders"),
        ExposeHeaders = c.StringList("exposeHeaders"),
        MaxAge = c.OptInt("maxAge") ?? 5,
    };

    private static ExternalAuthFilter ExternalAuth(YamlCursor a)
    {
        var http = a.OptMap("http");
        var grpc = a.OptMap("grpc");
        return new ExternalAuthFilter
        {
            Protocol = a.String("protocol"),
            BackendRef = BackendRef(a.Map("backendRef")),
            HttpPath = http?.OptString("path"),
            AllowedHeaders = http?.StringList("allowedHeaders") ?? grpc?.StringList("allowedHeaders") ?? [],
            AllowedResponseHeaders = http?.StringList("allowedResponseHeaders") ?? [],
            ForwardBodyMaxSize = a.OptMap("forwardBody")?.OptInt("maxSize"),
        };
    }

    private static HeaderModifier? HeaderModifier(YamlCursor? h) => h is null ? null : new HeaderModifier
    {
        Set = h.List("set", kv => KeyValuePair.Create(kv.String("name"), kv.String("value"))),
        Add = h.List("add", kv => KeyValuePair.Create(kv.String("name"), kv.String("value"))),
        Remove = h.StringList("remove"),
    };

    private static HttpPathModifier? PathModifier(YamlCursor? p)
    {
        if (p is null)
        {
            return null;
        }

        var type = p.String("type");
        return type switch
        {
            "ReplaceFullPath" => new HttpPathModifier(type, p.String("replaceFullPath")),
            "ReplacePrefixMatch" => new HttpPathModifier(type, p.String("replacePrefixMatch")),
            _ => throw p.Invalid("type", $"must be ReplaceFullPath or ReplacePrefixMatch (got {type})"),
        };
    }
}
