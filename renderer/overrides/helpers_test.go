package overrides

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/scheduler"
)

// manifest decodes a YAML manifest the way the loader does: into an unstructured object
// holding the value types of encoding/json, with int64 numbers.
func manifest(t testing.TB, doc string) *unstructured.Unstructured {
	t.Helper()
	return &unstructured.Unstructured{Object: yamlMap(t, doc)}
}

// yamlMap decodes a YAML document into a JSON-typed map.
func yamlMap(t testing.TB, doc string) map[string]any {
	t.Helper()
	data, err := yaml.YAMLToJSON([]byte(doc))
	if err != nil {
		t.Fatalf("bad YAML in test: %v", err)
	}
	var m map[string]any
	if err := utiljson.Unmarshal(data, &m); err != nil {
		t.Fatalf("bad YAML in test: %v", err)
	}
	return m
}

// clusterOverridePolicy decodes a ClusterOverridePolicy written in YAML, as a user would.
func clusterOverridePolicy(t testing.TB, doc string) *v1alpha1.ClusterOverridePolicy {
	t.Helper()
	p := &v1alpha1.ClusterOverridePolicy{}
	if err := yaml.UnmarshalStrict([]byte(doc), p); err != nil {
		t.Fatalf("bad policy in test: %v", err)
	}
	return p
}

// overridePolicy decodes an OverridePolicy written in YAML.
func overridePolicy(t testing.TB, doc string) *v1alpha1.OverridePolicy {
	t.Helper()
	p := &v1alpha1.OverridePolicy{}
	if err := yaml.UnmarshalStrict([]byte(doc), p); err != nil {
		t.Fatalf("bad policy in test: %v", err)
	}
	return p
}

// overriders decodes an Overriders struct written in YAML.
func overriders(t testing.TB, doc string) v1alpha1.Overriders {
	t.Helper()
	var o v1alpha1.Overriders
	if err := yaml.UnmarshalStrict([]byte(doc), &o); err != nil {
		t.Fatalf("bad overriders in test: %v", err)
	}
	return o
}

// memberCluster returns the scheduler's view of one cluster with the given labels and region.
func memberCluster(name, region string, labels map[string]string) *scheduler.ClusterInfo {
	c := &v1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
	c.Spec.Region = region
	info, _ := scheduler.NewSnapshot([]*v1alpha1.Cluster{c}).Get(name)
	return info
}

// A Deployment with two containers and an init container, the workload most tests use.
const deploymentYAML = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
  annotations:
    team: storefront
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      initContainers:
      - name: init
        image: busybox:1.36
      containers:
      - name: web
        image: fictional.registry.example/imagename:v1.0.0
        command: ["nginx", "-v", "-t"]
        ports:
        - containerPort: 80
      - name: sidecar
        image: registry.k8s.io/nginx-slim:0.8
        args: ["--verbose"]
`
