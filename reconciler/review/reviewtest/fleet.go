// Package reviewtest holds a small fleet source that the tests of placement diffs and
// pull-request reviews render at several revisions.
package reviewtest

import (
	"fmt"
	"testing/fstest"
)

// SmallFleet is two clusters and a Deployment with the given replicas divided over both
// (weighted equally: Webster, ties to the smaller name), plus any extra files.
func SmallFleet(replicas int, extra map[string]string) fstest.MapFS {
	files := map[string]string{
		"apps/web.yaml": fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: %d
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`, replicas),
		"policies/web.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: shop}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement:
    replicaScheduling: {replicaSchedulingType: Divided}
`,
	}
	for _, name := range []string{"member1", "member2"} {
		files["clusters/"+name+".yaml"] = `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: ` + name + `}
spec:
  syncMode: Push
  apiEndpoint: https://` + name + `.example.com:6443
`
	}
	for p, d := range extra {
		files[p] = d
	}
	out := fstest.MapFS{}
	for p, d := range files {
		out[p] = &fstest.MapFile{Data: []byte(d)}
	}
	return out
}
