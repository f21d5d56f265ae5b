using HelaMem.Core.Retrieval;

namespace HelaMem.Core.Tests;

public class BaseIndexTests
{
    private static readonly DateTimeOffset T0 = new(2023, 5, 8, 13, 56, 0, TimeSpan.Zero);

    [Fact]
    public void Base_score_is_similarity_plus_weighted_keyword_overlap()
    {
        var index = new BaseIndex(2);
        index.Add([1f, 0f], T0, ["pear"]);
        index.Add([0f, 1f], T0, ["apple", "plum"]);
        var scores = new float[2];

        index.ComputeBaseScores([1f, 0f], ["apple", "pear", "apple"], T0, HelaMemOptions.Default, scores);

        // node 0: cos 1 → sim 1; one of two distinct query keywords → 0.7·0.5.
        Assert.Equal(1f + 0.35f, scores[0], 5);
        // node 1: cos 0 → sim 0.5; one of two → 0.35.
        Assert.Equal(0.5f + 0.35f, scores[1], 5);
    }

    [Fact]
    public void Replacing_a_row_rescores_it_as_if_it_had_been_added_that_way_and_keeps_postings_in_order()
    {
        var replaced = new BaseIndex(2);
        replaced.Add([1f, 0f], T0, ["pear"]);
        replaced.Add([1f, 0f], T0, ["pear", "fig"]);
        replaced.Add([0f, 1f], T0, ["pear"]);
        replaced.Replace(1, [0f, 3f], ["pear", "fig"], ["plum", "fig"]);

        var built = new BaseIndex(2);
        built.Add([1f, 0f], T0, ["pear"]);
        built.Add([0f, 1f], T0, ["plum", "fig"]);
        built.Add([0f, 1f], T0, ["pear"]);

        var expected = new float[3];
        var actual = new float[3];
        built.ComputeBaseScores([0.6f, 0.8f], ["plum", "pear", "fig"], T0, HelaMemOptions.Default, expected);
        replaced.ComputeBaseScores([0.6f, 0.8f], ["plum", "pear", "fig"], T0, HelaMemOptions.Default, actual);
        Assert.Equal(expected, actual);
        Assert.Equal([0, 2], replaced.Postings("pear"));
        Assert.Equal([1], replaced.Postings("plum"));
        Assert.Equal([1], replaced.Postings("fig"));
        Assert.Equal(1f, replaced.GetRow(1)[1], 6);

        // A keyword the node joins again goes back to its place in index order.
        replaced.Replace(1, [0f, 1f], ["plum", "fig"], ["pear"]);
        Assert.Equal([0, 1, 2], replaced.Postings("pear"));
        Assert.Empty(replaced.Postings("plum"));
        Assert.Throws<ArgumentOutOfRangeException>(() => replaced.Replace(3, [0f, 1f], [], []));
        Assert.Throws<ArgumentException>(() => replaced.Replace(0, [float.NaN, 1f], [], []));
    }

    [Fact]
    public void Temporal_decay_measures_age_from_the_chosen_reference()
    {
        var index = new BaseIndex(2);
        index.Add([1f, 0f], T0, []);
        index.Add([1f, 0f], T0.AddSeconds(1e7), []);
        var scores = new float[2];

        index.ComputeBaseScores([1f, 0f], [], T0.AddSeconds(2e7), HelaMemOptions.Default with { TemporalDecayReference = TemporalDecayReference.Now }, scores);
        Assert.Equal(MathF.Exp(-2f), scores[0], 5);
        Assert.Equal(MathF.Exp(-1f), scores[1], 5);

        index.ComputeBaseScores([1f, 0f], [], T0.AddSeconds(2e7), HelaMemOptions.Default with { TemporalDecayReference = TemporalDecayReference.NewestMemory }, scores);
        Assert.Equal(MathF.Exp(-1f), scores[0], 5);
        Assert.Equal(1f, scores[1], 5);

        index.ComputeBaseScores([1f, 0f], [], T0.AddSeconds(2e7), HelaMemOptions.Default, scores);
        Assert.Equal(1f, scores[0], 5);
    }

    [Fact]
    public void Folded_common_component_removal_equals_explicit_removal()
    {
        var random = new Random(3);
        const int dims = 16;
        var index = new BaseIndex(dims);
        var rows = new List<float[]>();
        for (var i = 0; i < 40; i++)
        {
            // A shared offset makes a strong common direction, as in real sentence vectors.
            var row = Enumerable.Range(0, dims).Select(d => (float)random.NextDouble() - 0.5f + (d == 0 ? 2f : 0f)).ToArray();
            Normalize(row);
            rows.Add(row);
            index.Add(row, T0, []);
        }

        index.UpdateCommonComponent();
        var direction = index.CommonDirection.ToArray();
        Assert.True(Math.Abs(direction[0]) > 0.9f, "the dominant direction is the shared offset");

        var query = Enumerable.Range(0, dims).Select(d => (float)random.NextDouble()).ToArray();
        Normalize(query);
        var cosines = new float[rows.Count];
        index.ComputeCosines(query, cosines);

        var q = (float[])query.Clone();
        CommonComponent.Remove(q, direction);
        for (var i = 0; i < rows.Count; i++)
        {
            var e = (float[])rows[i].Clone();
            CommonComponent.Remove(e, direction);
            var expected = e.Zip(q, (a, b) => a * b).Sum();
            Assert.Equal(expected, cosines[i], 4);
        }
    }

    [Fact]
    public void Archived_nodes_are_masked_and_can_be_restored()
    {
        var index = new BaseIndex(2);
        index.Add([1f, 0f], T0, []);
        index.Add([0f, 1f], T0, []);
        index.Archive(0);
        var scores = new float[2];

        index.ComputeBaseScores([1f, 0f], [], T0, HelaMemOptions.Default, scores);
        Assert.True(float.IsNegativeInfinity(scores[0]));
        Assert.Equal(1, index.ActiveCount);

        index.Restore(0);
        index.ComputeBaseScores([1f, 0f], [], T0, HelaMemOptions.Default, scores);
        Assert.Equal(1f, scores[0], 5);
    }

    [Fact]
    public void Zero_vectors_score_a_cosine_of_zero()
    {
        var index = new BaseIndex(2);
        index.Add([0f, 0f], T0, []);
        var cosines = new float[1];

        index.ComputeCosines([1f, 0f], cosines);

        Assert.Equal(0f, cosines[0]);
    }

    [Fact]
    public void Bad_input_is_rejected_and_changes_nothing()
    {
        var index = new BaseIndex(2);
        Assert.Throws<ArgumentException>(() => index.Add([1f, 0f, 0f], T0, []));
        Assert.Throws<ArgumentException>(() => index.Add([float.NaN, 0f], T0, []));
        Assert.Equal(0, index.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.GetRow(0));
    }

    private static void Normalize(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        for (var i = 0; i < v.Length; i++)
        {
            v[i] /= norm;
        }
    }
}
