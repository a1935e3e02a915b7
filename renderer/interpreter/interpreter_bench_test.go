package interpreter

import (
	"testing"
)

// benchDeployment is a typical Deployment: two containers with requests and limits, an init
// container, a node selector, tolerations, config and secret references.
const benchDeployment = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      nodeSelector: {kubernetes.io/os: linux}
      tolerations: [{key: dedicated, operator: Equal, value: web, effect: NoSchedule}]
      initContainers:
      - {name: migrate, image: web:1.2.3, resources: {requests: {cpu: 500m, memory: 256Mi}}}
      containers:
      - name: web
        image: web:1.2.3
        ports: [{containerPort: 8080}]
        envFrom: [{configMapRef: {name: web-config}}]
        env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}]
        resources: {requests: {cpu: 250m, memory: 512Mi}, limits: {cpu: "1", memory: 1Gi}}
      - name: proxy
        image: envoy:1.30
        resources: {limits: {cpu: 100m, memory: 64Mi}}
      volumes:
      - {name: config, configMap: {name: web-config}}
      - {name: tls, secret: {secretName: web-tls}}`

// BenchmarkGetReplicas measures InterpretReplica on a Deployment: the native rule, and
// customizations computing the same with kube.accuratePodRequirements or reading only
// spec.replicas (the cost of a fresh sandbox plus converting the object to Lua).
func BenchmarkGetReplicas(b *testing.B) {
	obj := object(b, benchDeployment)
	cases := []struct {
		name  string
		rules string
	}{
		{"native", ""},
		{"lua-accuratePodRequirements", `
replicaResource:
  luaScript: |
    local kube = require("kube")
    function GetReplicas(obj)
      return obj.spec.replicas, kube.accuratePodRequirements(obj.spec.template)
    end`},
		{"lua-replicas-only", `replicaResource: {luaScript: "function GetReplicas(obj) return obj.spec.replicas, nil end"}`},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			i := newInterpreter(b)
			if c.rules != "" {
				i = newInterpreter(b, newRIC(b, "bench", "apps/v1", "Deployment", c.rules))
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := i.GetReplicas(obj); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGetDependencies measures the native InterpretDependency on the same Deployment.
func BenchmarkGetDependencies(b *testing.B) {
	obj := object(b, benchDeployment)
	i := newInterpreter(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := i.GetDependencies(obj); err != nil {
			b.Fatal(err)
		}
	}
}
