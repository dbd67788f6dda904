// The Gateway API conformance suite, run against the cluster of the kubeconfig in KUBECONFIG with the
// options run.sh passes after -args (gateway class, profiles, supported features, report path).
package conformance_test

import (
	"testing"

	"sigs.k8s.io/gateway-api/conformance"
)

func TestConformance(t *testing.T) {
	conformance.RunConformance(t)
}
