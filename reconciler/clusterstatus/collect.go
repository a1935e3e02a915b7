package clusterstatus

import (
	"context"
	"fmt"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer/interpreter"
)

// CollectCluster probes one member cluster and, when it is Ready, reads the objects of its
// rendered inventory (nil: none): one ClusterInput for BuildTree. Errors reading objects are
// returned next to a usable input (the objects that could not be read keep their previous
// items).
func CollectCluster(ctx context.Context, cluster string, cfg *rest.Config, inv *v1alpha1.ClusterInventory,
	interp *interpreter.Interpreter, probe ProbeOptions, collect CollectOptions) (ClusterInput, error) {
	in := ClusterInput{Name: cluster}
	status, nodes, unschedulable, err := Probe(ctx, cluster, cfg, probe)
	if err != nil {
		return in, err
	}
	in.Status, in.Nodes, in.Unschedulable = status, nodes, unschedulable
	ready := apimeta.FindStatusCondition(status.Conditions, v1alpha1.ClusterConditionReady)
	if inv == nil || ready == nil || ready.Status != metav1.ConditionTrue {
		return in, nil
	}
	if interp == nil {
		if interp, err = interpreter.New(nil); err != nil {
			return in, err
		}
	}
	cfg = rest.CopyConfig(cfg)
	cfg.Timeout = probe.withDefaults().Timeout
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return in, fmt.Errorf("cluster %s: building a dynamic client: %w", cluster, err)
	}
	in.Objects, err = CollectObjects(ctx, dyn, inv, status.APIEnablements, interp, collect)
	return in, err
}
