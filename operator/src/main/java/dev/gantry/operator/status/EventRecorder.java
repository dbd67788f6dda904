package dev.gantry.operator.status;

import dev.gantry.model.Condition;
import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.operator.api.LoadBalancerResource;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events for what changed in a load balancer's conditions: a Warning when it becomes not
 * accepted or not programmed (or its problems change), a Normal event when it recovers or becomes ready.
 * One event per change, not per reconciliation, so {@code kubectl describe lb} reads like a history.
 */
public final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final String COMPONENT = "gantry-operator";

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void recordChanges(LoadBalancerResource lb, LoadBalancerStatus before, LoadBalancerStatus after) {
    for (String type : new String[] {StatusAggregator.ACCEPTED, StatusAggregator.PROGRAMMED, StatusAggregator.READY}) {
      Condition was = StatusAggregator.find(before, type);
      Condition now = StatusAggregator.find(after, type);
      if (now == null || (was != null && was.status().equals(now.status()) && Objects.equals(was.reason(), now.reason())
          && Objects.equals(was.message(), now.message()))) {
        continue;
      }
      boolean good = "True".equals(now.status());
      if (!good && type.equals(StatusAggregator.READY)) {
        continue; // not ready yet is a phase, not a problem: the condition says it
      }
      if (good && was == null && !type.equals(StatusAggregator.READY)) {
        continue; // accepted and programmed the first time: no news
      }
      emit(lb, good ? "Normal" : "Warning", now.reason(), now.message());
    }
  }

  public void emit(LoadBalancerResource lb, String type, String reason, String message) {
    emit((io.fabric8.kubernetes.api.model.HasMetadata) lb, type, reason, message);
  }

  /** An Event about any object: a LoadBalancer, an Ingress or a Service the operator serves. */
  public void emit(io.fabric8.kubernetes.api.model.HasMetadata lb, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var event = new EventBuilder()
        .withNewMetadata()
          .withNamespace(lb.getMetadata().getNamespace())
          .withName(lb.getMetadata().getName() + "." + Long.toHexString(System.nanoTime())
              + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000)))
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(lb.getApiVersion()).withKind(lb.getKind())
            .withNamespace(lb.getMetadata().getNamespace()).withName(lb.getMetadata().getName())
            .withUid(lb.getMetadata().getUid()).withResourceVersion(lb.getMetadata().getResourceVersion())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .build();
    try {
      client.v1().events().inNamespace(lb.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // an event is a courtesy: the status already says it
      LOG.warn("{}({}/{}): could not record event {}: {}", lb.getKind(), lb.getMetadata().getNamespace(),
          lb.getMetadata().getName(), reason, e.getMessage());
    }
  }
}
