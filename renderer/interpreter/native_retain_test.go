package interpreter

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// TestRunRetainBuiltIn covers the retention rules of §5.2 (retain.go) through Run: what
// the object to apply keeps from the member's copy.
func TestRunRetainBuiltIn(t *testing.T) {
	tests := []struct {
		name, desired, observed, want string
	}{{
		name: "Deployment labelled retain-replicas keeps the member's replicas",
		desired: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {resourcetemplate.karmada.io/retain-replicas: "true"}}
spec: {replicas: 5}`,
		observed: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}",
		want: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {resourcetemplate.karmada.io/retain-replicas: "true"}}
spec: {replicas: 3}`,
	}, {
		name:     "Deployment without the label applies its own replicas",
		desired:  "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 5}",
		observed: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}",
		want:     "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 5}",
	}, {
		name: "Pod keeps its node, service account, volumes and the volume mounts of containers by name",
		desired: `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  serviceAccountName: ""
  containers: [{name: a, image: nginx}, {name: b, image: busybox, volumeMounts: [{name: cfg, mountPath: /etc/b}]}]
  initContainers: [{name: init, image: busybox}]`,
		observed: `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  nodeName: node-1
  serviceAccountName: default
  volumes: [{name: kube-api-access, projected: {sources: [{serviceAccountToken: {path: token}}]}}]
  containers:
  - {name: a, image: nginx, volumeMounts: [{name: kube-api-access, mountPath: /var/run/secrets}]}
  - {name: c, image: other, volumeMounts: [{name: x, mountPath: /x}]}
  initContainers:
  - {name: init, image: busybox, volumeMounts: [{name: kube-api-access, mountPath: /var/run/secrets}]}`,
		want: `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  nodeName: node-1
  serviceAccountName: default
  volumes: [{name: kube-api-access, projected: {sources: [{serviceAccountToken: {path: token}}]}}]
  containers:
  - {name: a, image: nginx, volumeMounts: [{name: kube-api-access, mountPath: /var/run/secrets}]}
  - {name: b, image: busybox, volumeMounts: [{name: cfg, mountPath: /etc/b}]}
  initContainers:
  - {name: init, image: busybox, volumeMounts: [{name: kube-api-access, mountPath: /var/run/secrets}]}`,
	}, {
		name: "Pod: what the member does not have is dropped, as in Karmada",
		desired: `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  nodeName: wanted
  volumes: [{name: cfg, configMap: {name: cfg}}]
  containers: [{name: a, volumeMounts: [{name: cfg, mountPath: /cfg}]}]`,
		observed: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a}]}",
		want:     "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a}]}",
	}, {
		name:     "Service keeps its cluster IP and health-check node port",
		desired:  "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {type: LoadBalancer, clusterIP: \"\", externalTrafficPolicy: Local}",
		observed: "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {type: LoadBalancer, clusterIP: 10.96.0.10, healthCheckNodePort: 31000}",
		want:     "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {type: LoadBalancer, clusterIP: 10.96.0.10, healthCheckNodePort: 31000, externalTrafficPolicy: Local}",
	}, {
		name:     "Service: nothing allocated yet, nothing kept",
		desired:  "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {ports: [{port: 80}]}",
		observed: "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {healthCheckNodePort: 0}",
		want:     "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {ports: [{port: 80}]}",
	}, {
		name:     "ServiceAccount: the template's secrets first, then those only the member has",
		desired:  "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\nsecrets: [{name: app}]",
		observed: "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\nsecrets: [{name: sa-token-x}, {name: app}]\nimagePullSecrets: [{name: registry}]",
		want:     "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\nsecrets: [{name: app}, {name: sa-token-x}]\nimagePullSecrets: [{name: registry}]",
	}, {
		name:     "PersistentVolumeClaim keeps its bound volume",
		desired:  "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {resources: {requests: {storage: 1Gi}}}",
		observed: "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {volumeName: pvc-123}",
		want:     "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {resources: {requests: {storage: 1Gi}}, volumeName: pvc-123}",
	}, {
		name:     "PersistentVolume keeps its claim reference",
		desired:  "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec: {capacity: {storage: 1Gi}}",
		observed: "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec: {claimRef: {namespace: shop, name: data, uid: u-1}}",
		want:     "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec: {capacity: {storage: 1Gi}, claimRef: {namespace: shop, name: data, uid: u-1}}",
	}, {
		name: "Job keeps the selector and pod labels its controller generated",
		desired: `
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec: {template: {metadata: {labels: {app: batch}}, spec: {restartPolicy: Never}}}`,
		observed: `
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  selector: {matchLabels: {batch.kubernetes.io/controller-uid: u-1}}
  template: {metadata: {labels: {app: batch, batch.kubernetes.io/controller-uid: u-1}}}`,
		want: `
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  selector: {matchLabels: {batch.kubernetes.io/controller-uid: u-1}}
  template: {metadata: {labels: {app: batch, batch.kubernetes.io/controller-uid: u-1}}, spec: {restartPolicy: Never}}`,
	}, {
		name:     "service-account-token Secret keeps the member's token",
		desired:  "apiVersion: v1\nkind: Secret\nmetadata: {name: tok}\ntype: kubernetes.io/service-account-token",
		observed: "apiVersion: v1\nkind: Secret\nmetadata: {name: tok}\ntype: kubernetes.io/service-account-token\ndata: {token: dG9r}",
		want:     "apiVersion: v1\nkind: Secret\nmetadata: {name: tok}\ntype: kubernetes.io/service-account-token\ndata: {token: dG9r}",
	}, {
		name:     "any other Secret applies its own data",
		desired:  "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: Opaque\ndata: {a: Yg==}",
		observed: "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: Opaque\ndata: {a: Yw==}",
		want:     "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: Opaque\ndata: {a: Yg==}",
	}}
	i := newInterpreter(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			desired := decodeObject(t, tt.desired)
			before := desired.DeepCopy()
			res := runOp(t, i, Request{Operation: v1alpha1.InterpreterOperationRetain, Desired: desired, Observed: decodeObject(t, tt.observed)})
			g.Expect(res.Rule).To(Equal("built-in"))
			if diff := cmp.Diff(yamlValue(t, tt.want), res.Object.Object); diff != "" {
				t.Errorf("retained (-want +got):\n%s", diff)
			}
			g.Expect(desired.Object).To(Equal(before.Object), "the input is not modified")
		})
	}
}

func TestRunRetainErrors(t *testing.T) {
	g := NewWithT(t)
	i := newInterpreter(t)
	_, err := i.Run(Request{Operation: v1alpha1.InterpreterOperationRetain,
		Desired:  decodeObject(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {resourcetemplate.karmada.io/retain-replicas: \"true\"}}"),
		Observed: decodeObject(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}")})
	g.Expect(err).To(MatchError(ContainSubstring("the member's copy has no spec.replicas")))

	_, err = i.Run(Request{Operation: v1alpha1.InterpreterOperationRetain,
		Desired:  decodeObject(t, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}"),
		Observed: decodeObject(t, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\nsecrets: [token]")})
	g.Expect(err).To(MatchError(ContainSubstring("secrets[0]: a reference needs a name")), "malformed input is an error, never a panic")

	_, err = i.Run(Request{Operation: v1alpha1.InterpreterOperationRetain,
		Desired:  decodeObject(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}"),
		Observed: decodeObject(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}")})
	g.Expect(errors.Is(err, ErrNoHook)).To(BeTrue(), "%v", err)
}
