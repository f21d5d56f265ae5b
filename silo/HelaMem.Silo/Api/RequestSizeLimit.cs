using HelaMem.Silo.Hosting;

namespace HelaMem.Silo.Api;

/// <summary>
/// Refuses bodies larger than the configured limit with 413 before any of the body is read. Kestrel enforces the
/// same limit on streamed bodies without a Content-Length; this check also covers hosts that do not (tests).
/// </summary>
internal sealed class RequestSizeLimit(RequestDelegate next, ServiceOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength is { } length && length > options.MaxRequestBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await Results.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request too large",
                detail: $"The body is {length} bytes; at most {options.MaxRequestBodyBytes} are accepted. Split the batch.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
