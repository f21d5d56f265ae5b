using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HelaMem.Silo.Tests.Api;

/// <summary>
/// The served OpenAPI document against the app's real endpoints and the .NET client's contract types: every mapped
/// route and method is documented (and nothing else), every wire type's schema has exactly the record's JSON property
/// names (as the client serializes them), and every body has an example.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed partial class OpenApiContractTests(SiloFactory silo)
{
    private const string Json = "application/json";
    private const string Problem = "application/problem+json";

    /// <summary>The client's serializer options (its naming), able to describe any type.</summary>
    private static readonly JsonSerializerOptions ClientJson = new(HelaMemClient.SerializerOptions) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>The memory routes' contract types by the users' operation id; the agents' and runs' routes have the same.</summary>
    private static readonly Dictionary<string, (Type? Request, string Status, Type? Response)> OwnerOperations = new(StringComparer.Ordinal)
    {
        ["Ingest"] = (typeof(IngestRequest), "201", typeof(IngestResult)),
        ["Search"] = (typeof(SearchRequest), "200", typeof(SearchResult)),
        ["SearchBatch"] = (typeof(BatchSearchRequest), "200", typeof(BatchSearchResult)),
        ["UpdateMemory"] = (typeof(MemoryUpdateRequest), "200", typeof(MemoryRecord)),
        ["MemoryHistory"] = (null, "200", typeof(MemoryHistory)),
        ["GetIngestJob"] = (null, "200", typeof(IngestJob)),
        ["ReportUsage"] = (typeof(UsageReport), "202", null),
        ["GetProfile"] = (null, "200", typeof(ProfileResult)),
        ["ListMemories"] = (null, "200", typeof(MemoryPage)),
        ["GetMemory"] = (null, "200", typeof(MemoryRecord)),
        ["DeleteMemory"] = (null, "204", null),
        ["DeleteUser"] = (null, "200", typeof(DeletionReceipt)),
        ["Consolidate"] = (null, "200", typeof(ConsolidationResult)),
        ["Reembed"] = (null, "200", typeof(ReembedResult)),
        ["UserStats"] = (null, "200", typeof(UserStats)),
    };

    /// <summary>Each operation's request and success response contract types (null: none), by operation id.</summary>
    private static readonly Dictionary<string, (Type? Request, string Status, Type? Response)> Operations = new(StringComparer.Ordinal)
    {
        ["CreateTenant"] = (typeof(CreateTenantRequest), "201", typeof(IssuedApiKey)),
        ["ListTenants"] = (null, "200", typeof(TenantList)),
        ["GetTenant"] = (null, "200", typeof(TenantInfo)),
        ["DisableTenant"] = (null, "200", typeof(TenantInfo)),
        ["EnableTenant"] = (null, "200", typeof(TenantInfo)),
        ["UpdateTenantSettings"] = (typeof(TenantSettingsUpdate), "200", typeof(TenantInfo)),
        ["IssueKey"] = (null, "201", typeof(IssuedApiKey)),
        ["RevokeKey"] = (null, "204", null),
        ["TenantStats"] = (null, "200", typeof(TenantStats)),
        ["ListTenantOwners"] = (null, "200", typeof(OwnerPage)),
        ["DeleteTenant"] = (null, "200", typeof(TenantDeletionReceipt)),
        ["ClusterStats"] = (null, "200", typeof(ClusterStats)),
        ["OperatorStats"] = (null, "200", typeof(OperatorStats)),
        ["Live"] = (null, "200", null),
        ["Ready"] = (null, "200", null),
    };

    /// <summary>
    /// The endpoints the document deliberately leaves out, with the reason: the document itself, and the MCP endpoint,
    /// which speaks JSON-RPC (one POST for every tool); MCP clients learn its tools from tools/list, and the Mcp tests
    /// check them.
    /// </summary>
    private static readonly Dictionary<string, string> Undocumented = new(StringComparer.Ordinal)
    {
        ["/openapi/{documentName}.json"] = "the OpenAPI document itself",
        ["/mcp"] = "the MCP endpoint (JSON-RPC over Streamable HTTP)",
        ["/metrics"] = "the Prometheus scrape endpoint (text exposition format, not JSON)",
    };

    /// <summary>
    /// The operators' dashboard: browser pages, the sign-in form, the page's data (the JSON of the documented
    /// GET /v1/admin/stats, behind the sign-in cookie) and the Orleans Dashboard with its own API.
    /// </summary>
    private const string DashboardPrefix = "/dashboard";

    static OpenApiContractTests()
    {
        // The users' ids as they are; the agents' and runs' with the scope in front, or in place of "User".
        foreach (var (id, contract) in OwnerOperations)
        {
            Operations[id] = contract;
            foreach (var scope in new[] { "Agent", "Run" })
            {
                Operations[id.Contains("User", StringComparison.Ordinal) ? id.Replace("User", scope, StringComparison.Ordinal) : scope + id] = contract;
            }
        }
    }

    [Fact]
    public async Task Every_mapped_route_and_method_is_documented_and_nothing_else()
    {
        var document = await DocumentAsync();
        var mapped = new HashSet<string>(StringComparer.Ordinal);
        var undocumented = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = Constraint().Replace(endpoint.RoutePattern.RawText ?? "", "{$1}").TrimEnd('/');
            if (!path.StartsWith("/v1/", StringComparison.Ordinal) && !path.StartsWith("/health/", StringComparison.Ordinal))
            {
                Assert.True(Undocumented.ContainsKey(path) || path == DashboardPrefix || path.StartsWith(DashboardPrefix + "/", StringComparison.Ordinal),
                    $"{path} is mapped outside /v1 and /health but neither documented nor listed as deliberately undocumented");
                undocumented.Add(path);
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            Assert.True(methods is { Count: > 0 }, $"{path} is mapped for every method");
            mapped.UnionWith(methods.Select(method => $"{method.ToUpperInvariant()} {path}"));
        }

        var documented = OperationsOf(document).Select(op => $"{op.Method.ToUpperInvariant()} {op.Path}").ToHashSet(StringComparer.Ordinal);
        Assert.True(mapped.Count >= 44, $"only {mapped.Count} routes found");
        Assert.Equal(mapped.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));

        // The MCP endpoint is mapped, and left out on purpose.
        Assert.Contains("/mcp", undocumented);
        Assert.DoesNotContain(document["paths"]!.AsObject(), path => path.Key.StartsWith("/mcp", StringComparison.Ordinal));

        // So are the dashboard's pages and the Orleans Dashboard.
        Assert.Contains("/dashboard/login", undocumented);
        Assert.Contains("/dashboard/orleans/DashboardCounters", undocumented);
        Assert.DoesNotContain(document["paths"]!.AsObject(), path => path.Key.StartsWith(DashboardPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Operation_ids_are_unique_and_agents_and_runs_have_exactly_the_users_routes()
    {
        var document = await DocumentAsync();
        var operations = OperationsOf(document).ToList();
        var ids = operations.Select(op => (string)op.Operation["operationId"]!).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

        string[] RoutesOf(string scope) =>
        [
            .. operations
                .Where(op => op.Path.StartsWith($"/v1/{scope}s/{{{scope}}}", StringComparison.Ordinal))
                .Select(op => $"{op.Method} {op.Path[$"/v1/{scope}s/{{{scope}}}".Length..]}")
                .Order(StringComparer.Ordinal),
        ];
        var users = RoutesOf("user");
        Assert.True(users.Length >= 10, $"only {users.Length} user routes");
        Assert.Equal(users, RoutesOf("agent"));
        Assert.Equal(users, RoutesOf("run"));
    }

    [Fact]
    public async Task Every_operation_has_a_summary_its_problems_and_its_bearer_scheme()
    {
        var document = await DocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("bearer", (string?)schemes["OperatorKey"]!["scheme"]);
        Assert.Equal("bearer", (string?)schemes["TenantApiKey"]!["scheme"]);
        foreach (var (path, method, operation) in OperationsOf(document))
        {
            var where = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), $"{where} has no summary");
            var id = (string?)operation["operationId"];
            Assert.True(id is not null && Operations.ContainsKey(id), $"{where}: operation id {id} is not in the test's table");
            Assert.NotNull(operation["responses"]![Operations[id].Status]);
            var security = operation["security"]?.AsArray().SelectMany(requirement => requirement!.AsObject().Select(scheme => scheme.Key)).ToArray() ?? [];
            if (path.StartsWith("/health/", StringComparison.Ordinal))
            {
                Assert.Empty(security);
                continue;
            }

            Assert.Equal([path.StartsWith("/v1/admin/", StringComparison.Ordinal) ? "OperatorKey" : "TenantApiKey"], security);
            List<string> problems = ["400", "401", "404", "503"];
            if (path.StartsWith("/v1/users/", StringComparison.Ordinal) || path.StartsWith("/v1/agents/", StringComparison.Ordinal) || path.StartsWith("/v1/runs/", StringComparison.Ordinal))
            {
                problems.AddRange(["403", "429"]);
            }

            if (id is "ListTenantOwners" or "DeleteTenant" or "OperatorStats")
            {
                problems.Add("429");
            }

            if (operation["requestBody"] is not null)
            {
                problems.AddRange(["413", "415"]);
            }

            Assert.All(problems, status => Assert.True(operation["responses"]![status]?["content"]?[Problem] is not null, $"{where} lacks a {status} problem response"));
        }
    }

    [Fact]
    public async Task Every_client_contract_type_matches_its_schema_in_the_document()
    {
        var document = await DocumentAsync();
        var components = document["components"]!["schemas"]!.AsObject();
        var checkedTypes = new HashSet<Type>();
        var mismatches = new List<string>();
        foreach (var (path, method, operation) in OperationsOf(document))
        {
            var (request, status, response) = Operations[(string)operation["operationId"]!];
            var requestSchema = operation["requestBody"]?["content"]?[Json]?["schema"];
            var responseSchema = operation["responses"]?[status]?["content"]?[Json]?["schema"];
            Assert.True((request is null) == (requestSchema is null), $"{method} {path}: request body {request?.Name ?? "none"} vs the document");
            Assert.True((response is null) == (responseSchema is null), $"{method} {path}: {status} response {response?.Name ?? "none"} vs the document");
            if (request is not null)
            {
                mismatches.AddRange(Compare(request, requestSchema!, components, checkedTypes));
            }

            if (response is not null)
            {
                mismatches.AddRange(Compare(response, responseSchema!, components, checkedTypes));
            }
        }

        Assert.Empty(mismatches);
        var contracts = typeof(SearchRequest).Assembly.GetExportedTypes()
            .Where(type => type.Namespace == typeof(SearchRequest).Namespace && type.IsClass).ToHashSet();
        Assert.Empty(contracts.Except(checkedTypes).Select(type => type.Name));
    }

    [Fact]
    public async Task A_schema_missing_or_adding_a_property_is_a_mismatch()
    {
        var document = await DocumentAsync();
        var components = document["components"]!["schemas"]!.DeepClone().AsObject();
        Assert.Empty(Compare(typeof(SearchResult), components["SearchResult"]!, components, []));

        components["MemoryItem"]!["properties"]!.AsObject().Remove("baseScore");
        components["SemanticItem"]!["properties"]!.AsObject()["weight"] = new JsonObject { ["type"] = "number" };
        var mismatches = Compare(typeof(SearchResult), components["SearchResult"]!, components, []);
        Assert.Contains(mismatches, m => m.Contains("MemoryItem", StringComparison.Ordinal) && m.Contains("baseScore", StringComparison.Ordinal));
        Assert.Contains(mismatches, m => m.Contains("SemanticItem", StringComparison.Ordinal) && m.Contains("weight", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_body_and_the_main_responses_have_examples_with_the_schemas_properties()
    {
        var document = await DocumentAsync();
        var components = document["components"]!["schemas"]!.AsObject();
        var bodies = 0;
        foreach (var (path, method, operation) in OperationsOf(document))
        {
            if (operation["requestBody"]?["content"]?[Json] is { } body)
            {
                bodies++;
                var example = body["example"];
                Assert.True(example is JsonObject, $"{method} {path} has no request example");
                AssertKnownProperties(example!.AsObject(), Resolve(body["schema"]!, components), $"{method} {path} request example");
            }
        }

        Assert.Equal(17, bodies);
        foreach (var id in new[] { "Search", "Ingest", "GetProfile", "ListMemories", "CreateTenant", "UpdateMemory", "MemoryHistory", "AgentSearch", "RunIngest", "ListTenantOwners", "DeleteTenant" })
        {
            var (path, method, operation) = OperationsOf(document).Single(op => (string?)op.Operation["operationId"] == id);
            var content = operation["responses"]![Operations[id].Status]!["content"]![Json]!;
            Assert.True(content["example"] is JsonObject, $"{method} {path} has no response example");
            AssertKnownProperties(content["example"]!.AsObject(), Resolve(content["schema"]!, components), $"{method} {path} response example");
        }
    }

    /// <summary>The differences between <paramref name="type"/>'s JSON properties and its schema's, recursively.</summary>
    private static List<string> Compare(Type type, JsonNode schema, JsonObject components, HashSet<Type> seen)
    {
        var mismatches = new List<string>();
        if (!seen.Add(type))
        {
            return mismatches;
        }

        var resolved = Resolve(schema, components);
        var properties = resolved["properties"]?.AsObject() ?? [];
        var info = ClientJson.GetTypeInfo(type);
        var expected = info.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var actual = properties.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        mismatches.AddRange(expected.Except(actual).Select(name => $"{type.Name}.{name} is not in the document's schema"));
        mismatches.AddRange(actual.Except(expected).Select(name => $"the document's {type.Name} has '{name}', the client's record does not"));
        foreach (var property in info.Properties)
        {
            if (ContractOf(property.PropertyType) is { } nested && properties[property.Name] is { } nestedSchema)
            {
                var element = nested.IsList ? Resolve(nestedSchema, components)["items"] : nestedSchema;
                if (element is null)
                {
                    mismatches.Add($"{type.Name}.{property.Name} is not an array in the document");
                    continue;
                }

                mismatches.AddRange(Compare(nested.Type, element, components, seen));
            }
        }

        return mismatches;
    }

    private static (Type Type, bool IsList)? ContractOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.Namespace == typeof(SearchRequest).Namespace)
        {
            return (type, false);
        }

        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) && ContractOf(type.GetGenericArguments()[0]) is { IsList: false } element
            ? (element.Type, true)
            : null;
    }

    /// <summary>Follows <c>$ref</c> and the non-null branch of a nullable <c>oneOf</c>.</summary>
    private static JsonObject Resolve(JsonNode schema, JsonObject components)
    {
        var node = schema.AsObject();
        while (true)
        {
            if ((string?)node["$ref"] is { } reference)
            {
                node = components[reference["#/components/schemas/".Length..]]!.AsObject();
            }
            else if ((node["oneOf"] ?? node["anyOf"]) is JsonArray branches)
            {
                node = branches.Single(branch => (string?)branch!["type"] != "null")!.AsObject();
            }
            else
            {
                return node;
            }
        }
    }

    private static void AssertKnownProperties(JsonObject example, JsonObject schema, string where)
    {
        var properties = schema["properties"]!.AsObject();
        Assert.All(example, field => Assert.True(properties.ContainsKey(field.Key), $"{where}: '{field.Key}' is not in the schema"));
    }

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> OperationsOf(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        where operation.Key is "get" or "post" or "put" or "delete" or "patch"
        select (path.Key, operation.Key, operation.Value!.AsObject());

    private async Task<JsonObject> DocumentAsync()
    {
        using var http = silo.CreateClient();
        var response = await http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [GeneratedRegex(@"\{(\w+):[^}]+\}")]
    private static partial Regex Constraint();
}
