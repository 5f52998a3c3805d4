using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;

namespace SynthNotebook.Streaming;

/// <summary>
/// Hands the WebSocket middleware a <see cref="CloseReasonStream"/> in place of the raw upgraded connection, so closes
/// raised inside the WebSocket layer reach the client with a reason too. Registered before <c>UseWebSockets</c>.
/// </summary>
internal sealed class CloseReasonUpgrade(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => new CloseReasonStream(await inner.UpgradeAsync());

    public static void Use(IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new CloseReasonUpgrade(upgrade));
        }
        return next(context);
    });
}
