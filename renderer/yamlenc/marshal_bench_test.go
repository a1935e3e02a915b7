package yamlenc

import (
	"testing"
)

// deployment is a typical rendered manifest, about 2.7 KB of YAML: labels, annotations,
// a container with args, env, ports, a probe and resources, a volume and a multi-line
// config.
func deployment() map[string]any {
	labels := func() map[string]any {
		return map[string]any{
			"app.kubernetes.io/name":       "checkout",
			"app.kubernetes.io/instance":   "checkout-eu-west-1",
			"app.kubernetes.io/component":  "api",
			"app.kubernetes.io/part-of":    "shop",
			"app.kubernetes.io/managed-by": "gitfleet",
		}
	}
	env := func(pairs ...string) []any {
		var out []any
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, map[string]any{"name": pairs[i], "value": pairs[i+1]})
		}
		return out
	}
	return map[string]any{
		"apiVersion": "apps/v1",
		"kind":       "Deployment",
		"metadata": map[string]any{
			"name":      "checkout",
			"namespace": "shop",
			"labels":    labels(),
			"annotations": map[string]any{
				"gitfleet.io/source":                "git@github.com:acme/fleet.git//apps/checkout?ref=main",
				"gitfleet.io/revision":              "4f2c9a1e8b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a",
				"deployment.kubernetes.io/revision": "12",
				"description":                       "Checkout API: handles carts, payments and order submission.",
			},
		},
		"spec": map[string]any{
			"replicas":             int64(3),
			"revisionHistoryLimit": int64(5),
			"selector": map[string]any{"matchLabels": map[string]any{
				"app.kubernetes.io/name":     "checkout",
				"app.kubernetes.io/instance": "checkout-eu-west-1",
			}},
			"template": map[string]any{
				"metadata": map[string]any{
					"labels":      labels(),
					"annotations": map[string]any{"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
				},
				"spec": map[string]any{
					"serviceAccountName":            "checkout",
					"terminationGracePeriodSeconds": int64(30),
					"containers": []any{
						map[string]any{
							"name":            "api",
							"image":           "registry.example.com/shop/checkout:1.42.3",
							"imagePullPolicy": "IfNotPresent",
							"args":            []any{"--config=/etc/checkout/config.yaml", "--log-level=info"},
							"env": append(env(
								"REGION", "eu-west-1",
								"DB_HOST", "checkout-db.shop.svc.cluster.local",
								"DB_PORT", "5432",
								"FEATURE_FLAGS", "new-cart,fast-pay",
								"ENABLE_TRACING", "true",
							), map[string]any{"name": "POD_NAME", "valueFrom": map[string]any{"fieldRef": map[string]any{"fieldPath": "metadata.name"}}}),
							"ports": []any{
								map[string]any{"name": "http", "containerPort": int64(8080), "protocol": "TCP"},
								map[string]any{"name": "metrics", "containerPort": int64(9090), "protocol": "TCP"},
							},
							"resources": map[string]any{
								"requests": map[string]any{"cpu": "250m", "memory": "256Mi"},
								"limits":   map[string]any{"cpu": "1", "memory": "512Mi"},
							},
							"livenessProbe": map[string]any{
								"httpGet":          map[string]any{"path": "/healthz/live", "port": "http"},
								"failureThreshold": int64(3),
								"timeoutSeconds":   1.5,
							},
							"volumeMounts": []any{map[string]any{"name": "config", "mountPath": "/etc/checkout", "readOnly": true}},
						},
					},
					"volumes": []any{map[string]any{"name": "config", "configMap": map[string]any{"name": "checkout-config"}}},
					"config":  "server:\n  port: 8080\n  timeout: 30s\npayments:\n  provider: stripe\n  retries: 3\n",
				},
			},
		},
	}
}

func BenchmarkMarshal(b *testing.B) {
	obj := deployment()
	out, err := Marshal(obj)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("deployment: %d bytes of YAML", len(out))
	b.Run("yamlenc", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(out)))
		for b.Loop() {
			if _, err := Marshal(obj); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("yamlenc-append", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(out)))
		var buf []byte
		for b.Loop() {
			if buf, err = Append(buf[:0], obj); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("yaml.v3-nodes", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(out)))
		for b.Loop() {
			if _, err := oracleMarshal(obj); err != nil {
				b.Fatal(err)
			}
		}
	})
}
