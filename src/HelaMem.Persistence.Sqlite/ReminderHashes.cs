using Microsoft.Data.Sqlite;
using Orleans.Runtime;

namespace HelaMem.Persistence.Sqlite;

/// <summary>Orleans' ring hash of a reminder's grain, kept in <c>reminders.grain_hash</c> so range reads are answered by the index.</summary>
internal static class ReminderHashes
{
    /// <summary>The grain of a row, as Orleans names it: <c>GrainId.Create(grain_type, grain_key)</c>.</summary>
    public static GrainId Grain(string grainType, string grainKey) => GrainId.Create(grainType, grainKey);

    /// <summary>The column value: the uint hash, stored as a non-negative INTEGER.</summary>
    public static long Of(GrainId grainId) => grainId.GetUniformHashCode();

    /// <summary>Computes and stores the hash of every row that has none (rows of the previous release); returns how many.</summary>
    public static int FillMissing(SqliteConnection connection, SqliteTransaction transaction)
    {
        var missing = new List<(string Type, string Key)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT DISTINCT grain_type, grain_key FROM reminders WHERE grain_hash IS NULL;";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                missing.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        if (missing.Count == 0)
        {
            return 0;
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE reminders SET grain_hash = $hash WHERE grain_type = $type AND grain_key = $key AND grain_hash IS NULL;";
        var hash = update.Parameters.Add("$hash", SqliteType.Integer);
        var type = update.Parameters.Add("$type", SqliteType.Text);
        var key = update.Parameters.Add("$key", SqliteType.Text);
        var rows = 0;
        foreach (var (grainType, grainKey) in missing)
        {
            hash.Value = Of(Grain(grainType, grainKey));
            type.Value = grainType;
            key.Value = grainKey;
            rows += update.ExecuteNonQuery();
        }

        return rows;
    }
}
