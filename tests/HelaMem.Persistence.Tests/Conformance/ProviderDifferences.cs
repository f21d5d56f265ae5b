namespace HelaMem.Persistence.Tests.Conformance;

/// <summary>
/// Known, documented ways a grain storage provider that HelaMem did not write departs from the suite's contract
/// (docs/storage.md). HelaMem's own providers have none.
/// </summary>
[Flags]
public enum GrainStorageDifferences
{
    None = 0,

    /// <summary>A conflict's <c>InconsistentStateException.StoredEtag</c> is Orleans' placeholder "Unknown", not the stored record's ETag.</summary>
    ConflictsDoNotReportTheStoredETag = 1,

    /// <summary>A clear with no ETag deletes an existing record instead of failing (seen on Azurite).</summary>
    ClearWithNullETagDeletesAnExistingRecord = 2,

    /// <summary>Records are named by "type/key", so a type containing '/' can meet another grain's record.</summary>
    TypeAndKeyJoinedWithSlash = 4,

    /// <summary>No check of grain ids and state names: what the runtime never passes is stored as given.</summary>
    NoArgumentValidation = 8,

    /// <summary>No payload limit of the provider's own (the service's limit applies).</summary>
    NoPayloadLimit = 16,

    /// <summary>A conflict's message names the blob ("BlobName: {state}-{type}/{key}") rather than the quoted state name.</summary>
    ConflictsNameTheBlob = 32,
}

/// <summary>Known, documented ways a reminder table HelaMem did not write departs from the suite's contract.</summary>
[Flags]
public enum ReminderTableDifferences
{
    None = 0,

    /// <summary>Start times come back as the same instant with <c>DateTimeKind.Unspecified</c> instead of Utc.</summary>
    StartTimesComeBackUnspecified = 1,

    /// <summary>A remove with a malformed ETag (not one the table could have issued, e.g. "never-issued") throws the table service's HTTP 400 instead of returning false; an empty one returns false.</summary>
    MalformedETagRemoveThrows = 2,

    /// <summary>No check of entries: what the reminder service never passes is stored as given.</summary>
    NoArgumentValidation = 4,
}

/// <summary>Known, documented ways a membership table HelaMem did not write departs from the suite's contract.</summary>
[Flags]
public enum MembershipTableDifferences
{
    None = 0,

    /// <summary>An insert with a table version ETag the table never issued ("not-an-etag") throws the table service's transaction failure instead of returning false (nothing is written); a stale one returns false.</summary>
    MalformedVersionETagInsertThrows = 1,

    /// <summary>An update with a stale row ETag but the current table version is applied (seen on Azurite, whose table transactions do not check an entity's If-Match); the table version still fences concurrent writers.</summary>
    RowETagNotCheckedInTransactions = 2,

    /// <summary>After DeleteMembershipTableEntries, reading the cluster throws until a silo initializes the table again (no version row).</summary>
    DeletedClusterUnreadableUntilInitialized = 4,
}
