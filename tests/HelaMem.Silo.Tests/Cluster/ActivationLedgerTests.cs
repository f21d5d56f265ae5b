namespace HelaMem.Silo.Tests.Cluster;

public sealed class ActivationLedgerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-03T17:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    // Silo addresses as Orleans prints them: dots, then the silo port and generation.
    private const string Silo1 = "S127.0.0.1:11111:502521000";
    private const string Silo2 = "S127.0.0.1:11112:502521007";

    private static string Line(string at, string graph, string activation, string @event, string silo) =>
        $"2026-12-03T{at}Z dbug: HelaMem.Grains.Graph.UserGraphGrain[{(@event == "started" ? 13 : 14)}] Graph {graph} activation {activation} {@event} on {silo}{(@event == "started" ? "." : " (ActivationIdle).")}\n";

    [Fact]
    public void A_graph_that_moves_after_its_silo_was_killed_is_not_a_duplicate()
    {
        var killed = new SiloTranscript(Line("16:00:00.000", "t/u", "@a", "started", Silo1), Now.AddMinutes(-59));
        var survivor = new SiloTranscript("info: something else\n" + Line("16:01:00.000", "t/u", "@b", "started", Silo2), null);

        var lifetimes = ActivationLedger.Lifetimes([killed, survivor], Now);

        Assert.Equal(2, lifetimes.Count);
        Assert.Equal([Silo1, Silo2], lifetimes.OrderBy(l => l.Start).Select(l => l.Silo));
        Assert.Equal("t/u", lifetimes[0].Graph);
        Assert.Equal(Now.AddMinutes(-59), lifetimes.Single(l => l.Activation == "@a").End);
        Assert.Equal(Now, lifetimes.Single(l => l.Activation == "@b").End);
        Assert.Empty(ActivationLedger.Duplicates(lifetimes));
    }

    [Fact]
    public void Two_lifetimes_of_one_graph_that_overlap_on_two_silos_are_a_duplicate()
    {
        var first = new SiloTranscript(Line("16:00:00.000", "t/u", "@a", "started", Silo1) + Line("16:00:05.000", "t/u", "@a", "stopping", Silo1), null);
        var second = new SiloTranscript(Line("16:00:04.999", "t/u", "@b", "started", Silo2) + Line("16:00:04.000", "t/v", "@c", "started", Silo2), null);

        var duplicates = ActivationLedger.Duplicates(ActivationLedger.Lifetimes([first, second], Now));

        var (a, b) = Assert.Single(duplicates);
        Assert.Equal(("@a", "@b"), (a.Activation, b.Activation));
    }

    [Fact]
    public void A_graph_reactivated_on_the_same_silo_or_after_its_deactivation_is_not_a_duplicate()
    {
        var first = new SiloTranscript(
            Line("16:00:00.000", "t/u", "@a", "started", Silo1) + Line("16:00:05.000", "t/u", "@a", "stopping", Silo1)
            + Line("16:00:06.000", "t/u", "@c", "started", Silo1), null);
        var second = new SiloTranscript(Line("16:00:05.001", "t/u", "@b", "started", Silo2) + Line("16:00:05.500", "t/u", "@b", "stopping", Silo2), null);

        Assert.Empty(ActivationLedger.Duplicates(ActivationLedger.Lifetimes([first, second], Now)));
    }
}
