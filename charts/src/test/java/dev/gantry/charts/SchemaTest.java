package dev.gantry.charts;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json: bad values fail at install time, with a message that names the field. */
class SchemaTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      replicaCount: two                                    | at '/replicaCount': got string, want integer
      replicaCount: 0                                      | at '/replicaCount': minimum: got 0, want 1
      image: {repository: gantry/operator, pullPolicy: Sometimes} | at '/image/pullPolicy'
      proxy: {image: {repository: "", pullPolicy: Always}} | at '/proxy/image/repository'
      proxy: {adminPort: 70000}                            | at '/proxy/adminPort': maximum
      watchNamespaces: [Web_Shop]                          | at '/watchNamespaces/0': 'Web_Shop' does not match
      watchNamespaces: web                                 | at '/watchNamespaces': got string, want array
      logFormat: xml                                       | at '/logFormat'
      logLevel: verbose                                    | at '/logLevel'
      imagee: {repository: typo}                           | additional properties 'imagee' not allowed
      ingressClass: {enabeld: true}                        | at '/ingressClass': additional properties 'enabeld' not allowed
      podDisruptionBudget: {maxUnavailable: 0}             | at '/podDisruptionBudget/maxUnavailable'
      ingressClass: {loadBalancer: {name: x, serviceType: Cloud}} | at '/ingressClass/loadBalancer/serviceType'
      ingressClass: {loadBalancer: {name: x, httpPort: 0}}  | at '/ingressClass/loadBalancer/httpPort': minimum
      metrics: {serviceMonitor: {interval: often}}         | at '/metrics/serviceMonitor/interval'
      nodeSelector: {disk: 1}                              | at '/nodeSelector/disk': got number, want string
      leaderElection: {enabled: false}\\nreplicaCount: 2   | at '/replicaCount': value must be 1
      """)
  void rejects(String values, String message) {
    assertThatThrownBy(() -> Chart.render(values.replace("\\n", "\n")))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(message);
  }
}
