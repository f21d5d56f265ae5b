using System.Numerics.Tensors;

namespace HelaMem.Core.Retrieval;

/// <summary>
/// SIF's common-component removal (Arora et al. 2017): the first right-singular vector u of the (uncentred)
/// matrix whose rows are the node vectors, found by power iteration on MᵀM without forming it
/// (v ← Mᵀ(M·v), two passes over the rows per iteration).
/// </summary>
public static class CommonComponent
{
    /// <summary>Power iterations are stopped once the direction changes by less than this (1 − |cos|).</summary>
    public const double ConvergenceTolerance = 1e-9;

    /// <summary>
    /// Computes u for <paramref name="count"/> rows of length <paramref name="dimensions"/> stored contiguously
    /// in <paramref name="rows"/>, skipping rows for which <paramref name="include"/> is false. Writes a unit
    /// vector into <paramref name="direction"/> and returns true, or returns false (and writes zeros) when the
    /// rows are all zero. The start vector is the normalised row sum, so the result is deterministic; its sign
    /// is irrelevant to the removal.
    /// </summary>
    public static bool Compute(ReadOnlySpan<float> rows, int dimensions, int count, Func<int, bool>? include, Span<float> direction, int maxIterations = 100)
    {
        if (dimensions <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "Dimensions must be positive.");
        }

        if (direction.Length != dimensions || rows.Length < checked(count * dimensions))
        {
            throw new ArgumentException("The direction must have the row length and rows must hold count rows.", nameof(direction));
        }

        // Double accumulation: the product MᵀM·v sums thousands of rows.
        var v = new double[dimensions];
        var next = new double[dimensions];
        for (var i = 0; i < count; i++)
        {
            if (include is not null && !include(i))
            {
                continue;
            }

            var row = rows.Slice(i * dimensions, dimensions);
            for (var d = 0; d < dimensions; d++)
            {
                v[d] += row[d];
            }
        }

        if (!Normalize(v))
        {
            // The row sum can vanish for rows that cancel out; start from a fixed axis instead.
            Array.Clear(v);
            v[0] = 1;
        }

        var rowAsDouble = new double[dimensions];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            Array.Clear(next);
            for (var i = 0; i < count; i++)
            {
                if (include is not null && !include(i))
                {
                    continue;
                }

                var row = rows.Slice(i * dimensions, dimensions);
                for (var d = 0; d < dimensions; d++)
                {
                    rowAsDouble[d] = row[d];
                }

                var projection = TensorPrimitives.Dot<double>(rowAsDouble, v);
                TensorPrimitives.MultiplyAdd(rowAsDouble, projection, next, next);
            }

            if (!Normalize(next))
            {
                direction.Clear();
                return false;
            }

            var change = 1 - Math.Abs(TensorPrimitives.Dot<double>(next, v));
            (v, next) = (next, v);
            if (change < ConvergenceTolerance)
            {
                break;
            }
        }

        for (var d = 0; d < dimensions; d++)
        {
            direction[d] = (float)v[d];
        }

        return true;
    }

    /// <summary>Removes the projection of <paramref name="vector"/> on the unit <paramref name="direction"/> and renormalises it (zero stays zero).</summary>
    public static void Remove(Span<float> vector, ReadOnlySpan<float> direction)
    {
        var projection = TensorPrimitives.Dot(vector, direction);
        TensorPrimitives.MultiplyAdd(direction, -projection, vector, vector);
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 1e-12f)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        else
        {
            vector.Clear();
        }
    }

    private static bool Normalize(double[] v)
    {
        var norm = TensorPrimitives.Norm<double>(v);
        if (!(norm > 1e-300))
        {
            return false;
        }

        TensorPrimitives.Divide(v, norm, v);
        return true;
    }
}
