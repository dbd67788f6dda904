package dev.gantry.operator.gateway;

import dev.gantry.model.Condition;
import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.GatewayClassResource;
import dev.gantry.operator.gateway.api.GatewayResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the GatewayClasses whose {@code controllerName} is {@value GatewayApi#CONTROLLER_NAME} and lists
 * in their status the features Gantry supports; other classes are left alone. Each time, and when a Gateway of the
 * class is deleted, the routes lose the status entries of deleted Gateways ({@link DeletedGatewayEntries}).
 */
public final class GatewayClassReconciler implements Reconciler<GatewayClassResource> {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayClassReconciler.class);

  /**
   * The core of BackendTLSPolicy, Gateway, GRPCRoute, HTTPRoute, ListenerSet, TCPRoute, TLSRoute (passthrough)
   * and ReferenceGrant, and the BackendTLSPolicy, Gateway and HTTPRoute extended features the model serves.
   * Sorted, one a line.
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
      "ListenerSet",
      "ReferenceGrant",
      "TCPRoute",
      "TLSRoute",
      "TLSRouteModeTerminate");

  /** A sweep of the routes' status the API server refused is tried again this soon. */
  static final Duration SWEEP_RETRY = Duration.ofSeconds(10);

  private final Clock clock;
  private final DeletedGatewayEntries deletedGateways;
  private InformerEventSource<GatewayResource, GatewayClassResource> gateways;

  public GatewayClassReconciler(KubernetesClient client, Clock clock) {
    this.clock = clock;
    this.deletedGateways = new DeletedGatewayEntries(client);
  }

  /** A Gateway's deletion reconciles its class, which sweeps the routes' status ({@link DeletedGatewayEntries}). */
  @Override
  public List<EventSource<?, GatewayClassResource>> prepareEventSources(
      EventSourceContext<GatewayClassResource> context) {
    gateways = new InformerEventSource<>(InformerEventSourceConfiguration.from(GatewayResource.class,
            GatewayClassResource.class)
        .withName("deleted-gateways")
        .withOnAddFilter(g -> false)
        .withOnUpdateFilter((a, b) -> false)
        .withSecondaryToPrimaryMapper(g -> g.getSpec() == null || g.getSpec().gatewayClassName() == null ? Set.of()
            : Set.of(new ResourceID(g.getSpec().gatewayClassName())))
        .build(), context);
    return List.of(gateways);
  }

  @Override
  public UpdateControl<GatewayClassResource> reconcile(GatewayClassResource gc, Context<GatewayClassResource> context) {
    if (gc.getSpec() == null || !GatewayApi.CONTROLLER_NAME.equals(gc.getSpec().controllerName())) {
      return UpdateControl.noUpdate();
    }
    boolean swept = deletedGateways.sweep(id -> gateways.get(id).isPresent());
    GatewayClassResource.Status after = status(gc, clock);
    UpdateControl<GatewayClassResource> control;
    if (after.equals(gc.getStatus())) {
      control = UpdateControl.noUpdate();
    } else {
      LOG.info("GatewayClass({}): accepted", gc.getMetadata().getName());
      gc.setStatus(after);
      gc.getMetadata().setResourceVersion(null);
      control = UpdateControl.patchStatus(gc);
    }
    return swept ? control : control.rescheduleAfter(SWEEP_RETRY);
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
