package dev.gantry.operator.gateway;

import dev.gantry.model.Address;
import dev.gantry.model.Condition;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.GatewayResource.ListenerStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Gateway's status from its plan and what its LoadBalancer reports: {@code Accepted}, {@code ResolvedRefs}
 * (its {@code spec.tls.backend.clientCertificateRef}), {@code InsecureFrontendValidationMode} (while a client
 * certificate validation falls back), {@code Programmed} (the fleet serves the current model), the addresses, and per listener {@code Accepted}, {@code Programmed},
 * {@code ResolvedRefs}, {@code Conflicted}, the route kinds it takes and how many routes attached, and how many
 * ListenerSets attached ({@link ListenerSetStatuses}). Pure.
 */
final class GatewayStatuses {

  private GatewayStatuses() {
  }

  /**
   * @param serving whether the LoadBalancer's fleet serves the current model
   * @param addresses the LoadBalancer's addresses
   */
  static GatewayResource.Status of(GatewayResource gw, GatewayPlan plan, boolean serving, List<Address> addresses,
      Instant now) {
    return of(gw, plan, serving, addresses, null, now);
  }

  /**
   * @param refusal why the addresses asked for are not the LoadBalancer's ({@link GatewayAddresses#notUsable}),
   *     or null
   */
  static GatewayResource.Status of(GatewayResource gw, GatewayPlan plan, boolean serving, List<Address> addresses,
      String refusal, Instant now) {
    long generation = Objects.requireNonNullElse(gw.getMetadata().getGeneration(), 0L);
    GatewayResource.Status before = gw.getStatus();
    Conditions c = new Conditions(generation, now, before == null ? null : before.conditions());
    List<Condition> conditions = new ArrayList<>();
    String unsupportedAddress = GatewayAddresses.of(gw).unsupported();
    boolean parameters = GatewayInfrastructure.refusesParameters(gw);
    if (parameters) {
      conditions.add(c.of("Accepted", false, "InvalidParameters", "spec.infrastructure.parametersRef names "
          + "parameters, which Gantry takes none of"));
    } else if (unsupportedAddress != null) {
      conditions.add(c.of("Accepted", false, "UnsupportedAddress", unsupportedAddress));
    } else if (plan.ownListeners().stream().noneMatch(CheckedListener::usable)) {
      conditions.add(c.of("Accepted", false, "ListenersNotValid", "no listener is accepted without conflicts"));
    } else if (!plan.ownListeners().stream().allMatch(CheckedListener::usable)) {
      conditions.add(c.of("Accepted", true, "ListenersNotValid", "the Gateway is accepted; some listeners are "
          + "not (see their conditions)"));
    } else {
      conditions.add(c.of("Accepted", true, "Accepted", "the Gateway is accepted"));
    }
    GatewayClientCertificate cert = plan.backendClientCertificate();
    conditions.add(cert.resolved() ? c.of("ResolvedRefs", true, "ResolvedRefs", "every reference is resolved")
        : c.of("ResolvedRefs", false, cert.reason(), cert.message()));
    if (FrontendValidations.insecureFallback(gw)) {
      conditions.add(c.of("InsecureFrontendValidationMode", true, "ConfigurationChanged", "spec.tls.frontend "
          + "lets clients without a valid certificate through (AllowInsecureFallback)"));
    }
    boolean programmed = unsupportedAddress == null && refusal == null && plan.spec() != null && serving
        && !addresses.isEmpty();
    conditions.add(programmed ? c.of("Programmed", true, "Programmed", "the proxies serve the Gateway")
        : parameters ? c.of("Programmed", false, "Invalid", "the Gateway is not accepted")
        : unsupportedAddress != null ? c.of("Programmed", false, "AddressNotUsable", unsupportedAddress)
        : refusal != null ? c.of("Programmed", false, "AddressNotUsable", refusal)
        : plan.spec() == null ? c.of("Programmed", false, "Invalid", "no listener can be served")
        : c.of("Programmed", false, "Pending", "waiting for the proxies to serve the Gateway"));
    List<ListenerStatus> listeners = new ArrayList<>();
    for (CheckedListener l : plan.ownListeners()) {
      List<Condition> previous = before == null || before.listeners() == null ? null : before.listeners().stream()
          .filter(s -> l.name().equals(s.name())).findFirst().map(ListenerStatus::conditions).orElse(null);
      listeners.add(new ListenerStatus(l.name(), l.supportedKinds(), plan.attachedRoutes().getOrDefault(l.name(), 0),
          listener(new Conditions(generation, now, previous), l, programmed)));
    }
    List<GatewayResource.Address> out = addresses.stream()
        .map(a -> new GatewayResource.Address(a.type(), a.value())).toList();
    return new GatewayResource.Status(out.isEmpty() ? null : out, conditions, listeners,
        ListenerSetStatuses.attachedCount(gw, plan));
  }

  static List<Condition> listener(Conditions c, CheckedListener l, boolean gatewayProgrammed) {
    List<Condition> out = new ArrayList<>();
    out.add(c.of("Accepted", l.accepted(), l.acceptedReason(), l.acceptedMessage()));
    out.add(l.conflicted() ? c.of("Conflicted", true, l.conflictReason(), "another listener on port " + l.port()
        + (l.conflictReason().equals("ProtocolConflict") ? " has another protocol" : " has the same hostname"))
        : c.of("Conflicted", false, "NoConflicts", "no conflict with another listener"));
    out.add(c.of("ResolvedRefs", l.refsResolved(), l.refsReason(), l.refsMessage()));
    boolean programmed = l.usable() && l.refsResolved() && gatewayProgrammed;
    out.add(programmed ? c.of("Programmed", true, "Programmed", "the proxies serve the listener")
        : !l.usable() || !l.refsResolved() ? c.of("Programmed", false, "Invalid", "the listener is not valid")
        : c.of("Programmed", false, "Pending", "waiting for the proxies to serve the listener"));
    return out;
  }
}
