package dev.gantry.operator.gateway;

import dev.gantry.model.Condition;
import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.GatewayClassResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the GatewayClasses whose {@code controllerName} is {@value GatewayApi#CONTROLLER_NAME} and lists
 * in their status the features Gantry supports; other classes are left alone.
 */
public final class GatewayClassReconciler implements Reconciler<GatewayClassResource> {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayClassReconciler.class);

  /**
   * The core of BackendTLSPolicy, Gateway, GRPCRoute, HTTPRoute, TCPRoute, TLSRoute (passthrough) and
   * ReferenceGrant, and the BackendTLSPolicy, Gateway and HTTPRoute extended features the model serves. Sorted,
   * one a line.
   */
  static final List<String> SUPPORTED_FEATURES = List.of(
      "BackendTLSPolicy",
      "BackendTLSPolicySANValidation",
      "GRPCRoute",
      "GRPCRouteNamedRouteRule",
      "Gateway",
      "GatewayAddressEmpty",
      "GatewayBackendClientCertificate",
      "GatewayFrontendClientCertificateValidation",
      "GatewayFrontendClientCertificateValidationInsecureFallback",
      "GatewayHTTPListenerIsolation",
      "GatewayHTTPSListenerDetectMisdirectedRequests",
      "GatewayInfrastructure",
      "GatewayPort8080",
      "GatewayStaticAddresses",
      "HTTPRoute",
      "HTTPRoute303RedirectStatusCode",
      "HTTPRoute307RedirectStatusCode",
      "HTTPRoute308RedirectStatusCode",
      "HTTPRouteBackendProtocolH2C",
      "HTTPRouteBackendProtocolWebSocket",
      "HTTPRouteBackendRequestHeaderModification",
      "HTTPRouteBackendTimeout",
      "HTTPRouteCORS",
      "HTTPRouteHostRewrite",
      "HTTPRouteMethodMatching",
      "HTTPRouteNamedRouteRule",
      "HTTPRouteParentRefPort",
      "HTTPRoutePathRedirect",
      "HTTPRoutePathRewrite",
      "HTTPRoutePortRedirect",
      "HTTPRouteQueryParamMatching",
      "HTTPRouteRequestMirror",
      "HTTPRouteRequestMultipleMirrors",
      "HTTPRouteRequestPercentageMirror",
      "HTTPRouteRequestTimeout",
      "HTTPRouteResponseHeaderModification",
      "HTTPRouteSchemeRedirect",
      "ReferenceGrant",
      "TCPRoute",
      "TLSRoute",
      "TLSRouteModeTerminate");

  private final Clock clock;

  public GatewayClassReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public UpdateControl<GatewayClassResource> reconcile(GatewayClassResource gc, Context<GatewayClassResource> context) {
    if (gc.getSpec() == null || !GatewayApi.CONTROLLER_NAME.equals(gc.getSpec().controllerName())) {
      return UpdateControl.noUpdate();
    }
    GatewayClassResource.Status after = status(gc, clock);
    if (after.equals(gc.getStatus())) {
      return UpdateControl.noUpdate();
    }
    LOG.info("GatewayClass({}): accepted", gc.getMetadata().getName());
    gc.setStatus(after);
    gc.getMetadata().setResourceVersion(null);
    return UpdateControl.patchStatus(gc);
  }

  static GatewayClassResource.Status status(GatewayClassResource gc, Clock clock) {
    long generation = Objects.requireNonNullElse(gc.getMetadata().getGeneration(), 0L);
    List<Condition> before = gc.getStatus() == null ? null : gc.getStatus().conditions();
    Condition accepted = new Conditions(generation, clock.instant(), before).of("Accepted", true, "Accepted",
        "served by the Gantry operator");
    return new GatewayClassResource.Status(List.of(accepted),
        SUPPORTED_FEATURES.stream().map(GatewayClassResource.Feature::new).toList());
  }
}
