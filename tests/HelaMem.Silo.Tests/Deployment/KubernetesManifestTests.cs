using System.Globalization;
using System.Net;
using HelaMem.Silo.Tests.EndToEnd;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Deployment;

/// <summary>
/// infra/kubernetes checked without a cluster: every file parses; the kustomizations name files that exist and patch
/// resources the base has; the workload's ports, probes and settings are the silo's; the services and the disruption
/// budget select the silo pods; Orleans' Kubernetes hosting has the pod facts and rights it needs.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class KubernetesManifestTests(SiloFactory silo)
{
    private static readonly string Root = Path.Combine(RepositoryPaths.Root, "infra", "kubernetes");
    private static readonly string[] Overlays = ["postgres", "azure"];

    private static List<Dictionary<object, object?>> Base() =>
        Directory.EnumerateFiles(Path.Combine(Root, "base"), "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(YamlDocuments.Load)
            .ToList();

    private static Dictionary<object, object?> One(List<Dictionary<object, object?>> manifests, string kind, string name) =>
        Assert.Single(manifests, m => m.Text("kind") == kind && m.Text("metadata.name") == name);

    private static Dictionary<object, object?> Silo(List<Dictionary<object, object?>> manifests) =>
        Assert.Single(One(manifests, "Deployment", "helamem-silo").Maps("spec.template.spec.containers"));

    private static Dictionary<string, string> Config(List<Dictionary<object, object?>> manifests) =>
        One(manifests, "ConfigMap", "helamem-config").Map("data").ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value!);

    [Fact]
    public void Every_file_parses_and_every_manifest_says_what_it_is()
    {
        var files = Directory.EnumerateFiles(Root, "*.yaml", SearchOption.AllDirectories).ToList();
        Assert.True(files.Count >= 10, $"{files.Count} files");
        foreach (var file in files)
        {
            var documents = YamlDocuments.Load(file);
            Assert.NotEmpty(documents);
            foreach (var document in documents)
            {
                Assert.False(string.IsNullOrEmpty(document.Text("apiVersion")), file);
                var kind = document.Text("kind");
                if (kind != "Kustomization")
                {
                    Assert.False(string.IsNullOrEmpty(document.Text("metadata.name")), file);
                }
            }
        }
    }

    [Fact]
    public void Kustomizations_name_existing_files_and_overlays_patch_base_resources_and_choose_their_profile()
    {
        var kustomization = Assert.Single(YamlDocuments.Load(Path.Combine(Root, "base", "kustomization.yaml")));
        var listed = kustomization.Texts("resources");
        var onDisk = Directory.EnumerateFiles(Path.Combine(Root, "base"), "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");
        Assert.Equal(onDisk.Order(), listed.Order());

        var manifests = Base();
        foreach (var overlay in Overlays)
        {
            var directory = Path.Combine(Root, "overlays", overlay);
            var overlayKustomization = Assert.Single(YamlDocuments.Load(Path.Combine(directory, "kustomization.yaml")));
            Assert.Equal(["../../base"], overlayKustomization.Texts("resources"));
            var patches = overlayKustomization.Maps("patches").Select(p => p.Text("path")).ToList();
            Assert.NotEmpty(patches);
            foreach (var patch in patches)
            {
                var patchDocument = Assert.Single(YamlDocuments.Load(Path.Combine(directory, patch)));
                One(manifests, patchDocument.Text("kind"), patchDocument.Text("metadata.name"));
            }

            // The overlay's profile is the one its name says, and the secret it adds is that profile's connection.
            var profile = patches.Select(p => YamlDocuments.Load(Path.Combine(directory, p))[0]).Single(d => d.Text("kind") == "ConfigMap");
            Assert.Equal(overlay, profile.Text("data.HelaMem__Cluster__Profile"));
            var added = patches.Select(p => YamlDocuments.Load(Path.Combine(directory, p))[0]).Single(d => d.Text("kind") == "Deployment");
            var env = Assert.Single(added.Maps("spec.template.spec.containers")).Maps("env");
            var secret = Assert.Single(env);
            Assert.StartsWith($"HelaMem__{char.ToUpperInvariant(overlay[0])}{overlay[1..]}__", secret.Text("name"), StringComparison.Ordinal);
            Assert.Equal("helamem-secrets", secret.Text("valueFrom.secretKeyRef.name"));
        }
    }

    [Fact]
    public async Task The_container_ports_and_probes_are_the_silos()
    {
        var manifests = Base();
        var config = Config(manifests);
        var container = Silo(manifests);
        var ports = container.Maps("ports").ToDictionary(p => p.Text("name"), p => p.Text("containerPort"));
        Assert.Equal(new Uri(config["ASPNETCORE_URLS"]).Port.ToString(CultureInfo.InvariantCulture), ports["http"]);
        Assert.Equal(config["HelaMem__Cluster__SiloPort"], ports["silo"]);
        Assert.Equal(config["HelaMem__Cluster__GatewayPort"], ports["gateway"]);

        Assert.Equal("/health/live", container.Text("livenessProbe.httpGet.path"));
        Assert.Equal("/health/live", container.Text("startupProbe.httpGet.path"));
        Assert.Equal("/health/ready", container.Text("readinessProbe.httpGet.path"));
        foreach (var probe in new[] { "livenessProbe", "startupProbe", "readinessProbe" })
        {
            Assert.Equal("http", container.Text($"{probe}.httpGet.port"));
        }

        // The routes the probes ask answer 200 on a running silo.
        using var http = silo.CreateClient();
        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public void Every_setting_the_workload_gives_is_one_the_silo_reads_and_secrets_come_from_one_secret()
    {
        var manifests = Base();
        var container = Silo(manifests);
        var names = Config(manifests).Keys.Concat(container.Maps("env").Select(e => e.Text("name")))
            .Concat(Overlays.SelectMany(o => Directory.EnumerateFiles(Path.Combine(Root, "overlays", o), "*.yaml"))
                .SelectMany(YamlDocuments.Load)
                .SelectMany(d => d.Text("kind") == "ConfigMap" ? d.Map("data").Keys.Cast<string>() : d.Maps("spec.template.spec.containers").SelectMany(c => c.Maps("env")).Select(e => e.Text("name"))))
            .ToList();
        Assert.Empty(names.Select(SiloSettingNames.Problem).OfType<string>());

        // Every pod fact Orleans' Kubernetes hosting reads is given, from the downward API.
        foreach (var variable in SiloSettingNames.KubernetesPodVariables)
        {
            Assert.NotNull(Assert.Single(container.Maps("env"), e => e.Text("name") == variable).At("valueFrom.fieldRef.fieldPath"));
        }

        Assert.Equal("$(POD_IP)", Assert.Single(container.Maps("env"), e => e.Text("name") == "HelaMem__Cluster__AdvertisedAddress").Text("value"));
        Assert.Equal("helamem-secrets", Assert.Single(container.Maps("env"), e => e.Text("name") == "HELAMEM_OPERATOR_KEY").Text("valueFrom.secretKeyRef.name"));

        // The runbook tells how to create the secret with every key the manifests read.
        var operations = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "runbook.md"));
        foreach (var key in new[] { "operator-key", "postgres-connection-string", "azure-storage-connection-string" })
        {
            Assert.Contains(key, operations, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Services_and_the_disruption_budget_select_the_silo_pods_and_name_its_ports()
    {
        var manifests = Base();
        var deployment = One(manifests, "Deployment", "helamem-silo");
        var podLabels = deployment.Map("spec.template.metadata.labels");
        Assert.All(deployment.Map("spec.selector.matchLabels"), kv => Assert.Equal(kv.Value, podLabels[kv.Key]));
        var portNames = Silo(manifests).Maps("ports").Select(p => p.Text("name")).ToHashSet();

        var services = manifests.Where(m => m.Text("kind") == "Service").ToList();
        Assert.Equal(["helamem-api", "helamem-gateway", "helamem-silo"], services.Select(s => s.Text("metadata.name")).Order());
        foreach (var service in services)
        {
            Assert.All(service.Map("spec.selector"), kv => Assert.Equal(kv.Value, podLabels[kv.Key]));
            Assert.All(service.Maps("spec.ports"), p => Assert.Contains(p.Text("targetPort"), portNames));
        }

        Assert.Equal("None", One(manifests, "Service", "helamem-silo").Text("spec.clusterIP"));
        var budget = One(manifests, "PodDisruptionBudget", "helamem-silo");
        Assert.All(budget.Map("spec.selector.matchLabels"), kv => Assert.Equal(kv.Value, podLabels[kv.Key]));
        Assert.Equal("1", budget.Text("spec.maxUnavailable"));
        Assert.True(int.Parse(deployment.Text("spec.replicas"), CultureInfo.InvariantCulture) >= 3);

        // Orleans' labels on the pods carry the configured ids.
        var config = Config(manifests);
        Assert.Equal(config["HelaMem__Cluster__ServiceId"], podLabels["orleans/serviceId"]);
        Assert.Equal(config["HelaMem__Cluster__ClusterId"], podLabels["orleans/clusterId"]);
    }

    [Fact]
    public void The_pods_run_as_non_root_with_sized_resources_and_the_rights_orleans_hosting_needs()
    {
        var manifests = Base();
        var podSpec = One(manifests, "Deployment", "helamem-silo").Map("spec.template.spec");
        Assert.Equal("true", podSpec.Text("securityContext.runAsNonRoot"));
        var container = Silo(manifests);
        Assert.Equal("false", container.Text("securityContext.allowPrivilegeEscalation"));
        foreach (var resource in new[] { "resources.requests.cpu", "resources.requests.memory", "resources.limits.memory" })
        {
            Assert.False(string.IsNullOrEmpty(container.Text(resource)), resource);
        }

        // The data directory the configuration names is a mounted volume.
        var dataDirectory = Config(manifests)["HELAMEM_DATA_DIR"];
        Assert.Contains(container.Maps("volumeMounts"), m => m.Text("mountPath") == dataDirectory);

        var account = podSpec.Text("serviceAccountName");
        One(manifests, "ServiceAccount", account);
        var binding = One(manifests, "RoleBinding", account);
        Assert.Equal(account, Assert.Single(binding.Maps("subjects")).Text("name"));
        var role = One(manifests, "Role", binding.Text("roleRef.name"));
        var rule = Assert.Single(role.Maps("rules"));
        Assert.Equal(["pods"], rule.Texts("resources"));
        Assert.Equal(["delete", "get", "list", "patch", "watch"], rule.Texts("verbs").Order());
    }
}
