namespace HelaMem.Core.Retrieval;

/// <summary>Which pathway put an item into the result.</summary>
public enum Pathway
{
    /// <summary>Among the top k by base score.</summary>
    Base,

    /// <summary>Among the top k after spreading but not by base score: associatively close, semantically distant.</summary>
    Flip,
}
