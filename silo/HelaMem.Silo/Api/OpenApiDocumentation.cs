using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace HelaMem.Silo.Api;

/// <summary>
/// What the generated OpenAPI document (<c>/openapi/v1.json</c>) cannot infer: the bearer security schemes (operator
/// key for <c>/v1/admin</c>, tenant API key for the other <c>/v1</c> routes, none for <c>/health</c>) and examples of
/// requests and of the main responses, keyed by operation id (the endpoint names).
/// </summary>
internal static class OpenApiDocumentation
{
    /// <summary>The scheme of the operator routes.</summary>
    public const string OperatorScheme = "OperatorKey";

    /// <summary>The scheme of the tenant routes.</summary>
    public const string TenantScheme = "TenantApiKey";

    private const string Json = "application/json";

    /// <summary>Request examples by operation id.</summary>
    private static readonly Dictionary<string, string> RequestExamples = new(StringComparer.Ordinal)
    {
        ["Ingest"] = """
            {"messages": [
              {"content": "I adopted a dog named Rex last spring", "speaker": "Alice", "role": "user",
               "timestamp": "2024-05-01T09:00:00Z", "conversationId": "c1", "metadata": {"dia_id": "D1:1"}},
              {"content": "Rex loves the beach", "speaker": "Alice", "conversationId": "c1"}],
             "deduplicate": true}
            """,
        ["Search"] = """{"query": "what is the dog called?", "topK": 5, "includeSemantic": true, "explain": true, "filter": {"speakers": ["Alice"], "metadata": {"dia_id": ["D1:1", "D1:2"]}, "from": "2024-01-01T00:00:00Z"}}""",
        ["SearchBatch"] = """{"searches": [{"query": "what is the dog called?", "topK": 3}, {"query": "where does Rex like to go?", "filter": {"conversationIds": ["c1"]}}]}""",
        ["UpdateMemory"] = """{"content": "I adopted a dog named Rex in April", "metadata": {"dia_id": "D1:1", "corrected": "true"}}""",
        ["ReportUsage"] = """{"retrievalId": 7, "nodeIds": [0]}""",
        ["CreateTenant"] = """{"name": "small", "quotas": {"maxUsers": 100, "maxMessagesPerIngest": 200, "maxMessageLength": 16384}, "retrieval": {"topK": 15, "maxFlipped": 3, "profile": "helamem"}}""",
        ["UpdateTenantSettings"] = """
            {"quotas": {"maxUsers": 500, "maxMessagesPerIngest": 200}, "retrieval": {"topK": 10, "maxFlipped": 2, "profile": "helamem"},
             "llm": {"endpoint": "https://eu-resource.openai.azure.com", "chatModel": "gpt-4o-mini-tenant", "embeddingModel": null, "apiVersion": null}}
            """,
    };

    /// <summary>Success response examples by operation id.</summary>
    private static readonly Dictionary<string, string> ResponseExamples = new(StringComparer.Ordinal)
    {
        ["Ingest"] = """{"user": "alice", "nodeIds": [0, 1], "nodeCount": 2, "duplicates": null, "replayed": false, "scope": "user"}""",
        ["Ingest/202"] = """
            {"user": "alice", "jobId": "9f1c2d3e4b5a69788796a5b4c3d2e1f0", "status": "queued", "messages": 2, "messagesDone": 0,
             "createdAt": "2024-05-01T09:00:02+00:00", "completedAt": null, "nodeIds": [], "duplicates": [], "nodeCount": 0, "error": null, "replayed": false, "scope": "user"}
            """,
        ["GetIngestJob"] = """
            {"user": "alice", "jobId": "9f1c2d3e4b5a69788796a5b4c3d2e1f0", "status": "succeeded", "messages": 2, "messagesDone": 2,
             "createdAt": "2024-05-01T09:00:02+00:00", "completedAt": "2024-05-01T09:00:03+00:00", "nodeIds": [0, 1], "duplicates": [], "nodeCount": 2,
             "error": null, "replayed": false, "scope": "user"}
            """,
        ["UpdateMemory"] = """
            {"id": 0, "content": "I adopted a dog named Rex in April", "speaker": "Alice", "timestamp": "2024-05-01T09:00:00+00:00",
             "conversationId": "c1", "role": "user", "metadata": {"dia_id": "D1:1", "corrected": "true"}, "keywords": ["adopt", "april", "dog", "rex"],
             "accessCount": 1, "lastAccess": "2024-05-02T10:00:00+00:00", "archived": false, "version": 2}
            """,
        ["MemoryHistory"] = """
            {"user": "alice", "id": 0, "versions": [
              {"version": 1, "event": "created", "content": "I adopted a dog named Rex last spring", "metadata": {"dia_id": "D1:1"}, "at": "2024-05-01T09:00:02+00:00"},
              {"version": 2, "event": "updated", "content": "I adopted a dog named Rex in April", "metadata": {"dia_id": "D1:1", "corrected": "true"}, "at": "2024-05-03T08:00:00+00:00"}]}
            """,
        ["Search"] = """
            {"retrievalId": 7,
             "items": [{"id": 0, "pathway": "base", "score": 0.83, "baseScore": 0.71, "content": "I adopted a dog named Rex last spring",
               "speaker": "Alice", "timestamp": "2024-05-01T09:00:00+00:00", "conversationId": "c1", "role": "user",
               "metadata": {"dia_id": "D1:1"},
               "explanation": {"baseScore": 0.71, "spreadBoost": 0.12, "matchedKeywords": ["dog"], "keywordOverlap": 0.5,
                 "neighbours": [{"id": 1, "weight": 0.4, "neighbourBaseScore": 0.3}]}}],
             "knowledge": [{"kind": "fact", "text": "Alice adopted a dog named Rex in spring 2023", "sources": [0], "subject": "Alice", "slot": null,
               "score": 0.64, "reason": "among the semantic items closest to the query (cosine 0.64)"}],
             "profile": [{"kind": "profile", "text": "Alice has a dog", "sources": [0], "subject": "Alice", "slot": "alice|has: dog",
               "score": 0.52, "reason": "profile item returned with every context: among the closest to the query (cosine 0.52)"}],
             "context": "## Profile\nAlice has a dog\n## Knowledge\nAlice adopted a dog named Rex in spring 2023\n## Memories\n[2024-05-01] I adopted a dog named Rex last spring\n",
             "contextTokens": 24, "retrievalProfile": "helamem", "selected": 1, "scope": "user", "degraded": false, "degradedReason": null}
            """,
        ["GetProfile"] = """
            {"user": "alice",
             "profile": [{"kind": "profile", "text": "Alice has a dog", "sources": [0], "subject": "Alice", "slot": "alice|has: dog", "score": null, "reason": null},
               {"kind": "profile", "text": "Alice loves hiking with Rex", "sources": [1], "subject": "Alice", "slot": "alice|preference: hiking rex", "score": null, "reason": null}],
             "knowledge": [{"kind": "fact", "text": "Alice took Rex to the beach on 2024-04-27", "sources": [1], "subject": "Alice", "slot": null, "score": null, "reason": null}]}
            """,
        ["Consolidate"] = """
            {"hubsPending": 0, "hubsDistilled": 0, "itemsAdded": 3, "nodesArchived": 0, "completedAt": "2024-05-02T10:00:00+00:00",
             "turnsDistilled": 2, "turnsPending": 0, "deferred": false}
            """,
        ["Reembed"] = """{"user": "alice", "from": "glove-sif-100d", "to": "minilm-l6-v2-384d", "dimensions": 384, "memoriesReembedded": 419, "semanticItemsReembedded": 12, "changed": true, "scope": "user"}""",
        ["ListMemories"] = """
            {"user": "alice", "items": [{"id": 0, "content": "I adopted a dog named Rex last spring", "speaker": "Alice",
              "timestamp": "2024-05-01T09:00:00+00:00", "conversationId": "c1", "role": "user", "metadata": {"dia_id": "D1:1"},
              "keywords": ["adopt", "dog", "rex", "spring"], "accessCount": 1, "lastAccess": "2024-05-02T10:00:00+00:00", "archived": false, "version": 1}],
             "offset": 0, "limit": 100, "total": 1}
            """,
        ["CreateTenant"] = """{"tenant": "small", "keyId": "0123456789ab", "apiKey": "hm.small.0123456789ab.q2V0c2VjcmV0LWV4YW1wbGUtb25seS1ub3QtcmVhbA"}""",
        ["ListTenantOwners"] = """
            {"tenant": "acme", "items": [{"scope": "user", "id": "alice"}, {"scope": "user", "id": "bob"}, {"scope": "agent", "id": "travel-bot"}],
             "nextCursor": "bzE6YWdlbnR-dHJhdmVsLWJvdA", "complete": true}
            """,
        ["OperatorStats"] = """
            {"generatedAt": "2024-05-02T10:00:00+00:00", "windowSeconds": 60,
             "silos": [{"address": "10.0.0.5:11111@136035200", "name": "silo-0", "host": "helamem-0", "status": "Active",
               "startedAt": "2024-05-02T08:00:00+00:00", "lastHeartbeatAt": "2024-05-02T09:59:40+00:00", "lastReportAt": "2024-05-02T09:59:59+00:00"}],
             "tenants": [{"tenant": "acme", "owners": 3, "ingests": 120, "ingestsPerSecond": 2, "searches": 600, "searchesPerSecond": 10,
               "searchP50Ms": 4.2, "searchP99Ms": 31.7, "rateLimitRefusals": 0, "inputTokens": 0, "outputTokens": 0,
               "consolidationRuns": 14, "semanticItems": 9}],
             "storage": {"commits": 240, "commitsPerSecond": 4, "commitP50Ms": 1.6, "commitP99Ms": 8},
             "llm": {"providerConfigured": false, "note": "No LLM provider configured: consolidation distills extractively, so no tokens are used; the counts stay 0."}}
            """,
        ["DeleteTenant"] = """
            {"tenant": "acme", "ownersDeleted": {"users": 2, "agents": 1, "runs": 0}, "nodesDeleted": 412, "semanticItemsDeleted": 9,
             "keysRevoked": 1, "deletedAt": "2024-05-02T10:00:00+00:00"}
            """,
    };

    /// <summary>Registers the document with its security schemes and examples.</summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                AddSchemes(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                // The agents' and runs' routes show the examples of the same route for users.
                var family = context.Description.ActionDescriptor.EndpointMetadata.OfType<UserOperation>().FirstOrDefault()?.OperationId;
                Describe(operation, context.Description.RelativePath ?? "", context.Document, family);
                return Task.CompletedTask;
            });
        });

    private static void Describe(OpenApiOperation operation, string relativePath, OpenApiDocument? document, string? family)
    {
        var path = "/" + relativePath.TrimStart('/');
        string? scheme = path.StartsWith("/v1/admin/", StringComparison.Ordinal) || path == "/v1/admin" ? OperatorScheme
            : path.StartsWith("/v1/", StringComparison.Ordinal) ? TenantScheme
            : null;
        if (scheme is not null && document is not null)
        {
            AddSchemes(document);
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] }];
        }

        DocumentOwnerParameter(operation, path);
        if ((family ?? operation.OperationId) is not { } id)
        {
            return;
        }

        if (id == "ListMemories")
        {
            AddListFilterParameters(operation);
        }

        if (RequestExamples.TryGetValue(id, out var request) && operation.RequestBody?.Content?.TryGetValue(Json, out var body) == true)
        {
            body.Example = JsonNode.Parse(request);
        }

        if (operation.Responses is { } responses)
        {
            foreach (var (status, answer) in responses)
            {
                // An example per status where a route answers in two shapes (an ingest: 201 stored, 202 accepted as a job).
                if (status.StartsWith('2') && answer.Content?.TryGetValue(Json, out var content) == true
                    && (ResponseExamples.GetValueOrDefault($"{id}/{status}") ?? ResponseExamples.GetValueOrDefault(id)) is { } response)
                {
                    content.Example = JsonNode.Parse(response);
                }
            }
        }
    }

    // The listing's filter is read from the query string by Filters.FromQuery (metadata.<key> cannot be declared as a
    // parameter of its own), so the document states the parameters here.
    private static void AddListFilterParameters(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        foreach (var (name, description) in new[]
        {
            ("conversationId", "Only memories of this conversation (repeat for alternatives)."),
            ("speaker", "Only memories said by this speaker, case-insensitive (repeat for alternatives)."),
            ("role", "Only memories stored with this role, case-insensitive (repeat for alternatives)."),
        })
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Description = description,
                Explode = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            });
        }

        foreach (var (name, description) in new[] { ("from", "Only memories said at or after this time (ISO 8601)."), ("until", "Only memories said before this time (ISO 8601).") })
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            });
        }

        operation.Description = "Filter by metadata with metadata.<key>=<value> (repeat a key for alternatives), for example "
            + "?metadata.topic=travel&metadata.topic=food&speaker=Alice&from=2024-01-01T00:00:00Z. Every condition given must hold.";
    }

    // The owner routes bind their owner through RouteOwner, not a string parameter, so the generator does not list the
    // {user}, {agent} or {run} path parameter: add it.
    private static void DocumentOwnerParameter(OpenApiOperation operation, string path)
    {
        if (OwnerRoutes.ScopeOfPath(path) is not { } scope || operation.Parameters?.Any(p => p.Name == scope.Name && p.In == ParameterLocation.Path) == true)
        {
            return;
        }

        operation.Parameters ??= [];
        operation.Parameters.Insert(0, new OpenApiParameter
        {
            Name = scope.Name,
            In = ParameterLocation.Path,
            Required = true,
            Description = $"Whose memory: {UserIdCheck.Rule(scope.Scope)}.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = HelaMem.Abstractions.Keys.KeySegment.MaxLength },
        });
    }

    private static void AddSchemes(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes.TryAdd(OperatorScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The operator key (HELAMEM_OPERATOR_KEY, or <data>/operator.key): the /v1/admin routes.",
        });
        document.Components.SecuritySchemes.TryAdd(TenantScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "hm.<tenant>.<keyId>.<secret>",
            Description = "A tenant API key: the /v1/users, /v1/agents and /v1/runs routes; the tenant is taken from the key.",
        });
    }
}
