package interpreter

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ref is a by-name dependency in v1.
func ref(kind, namespace, name string) DependentObjectReference {
	return DependentObjectReference{APIVersion: "v1", Kind: kind, Namespace: namespace, Name: name}
}

// everyReferencePodSpec refers to dependencies in every way a pod spec can, some twice.
const everyReferencePodSpec = `
serviceAccountName: app
imagePullSecrets: [{name: registry}, {name: ""}]
initContainers:
- name: init
  envFrom: [{configMapRef: {name: init-env}}]
containers:
- name: app
  envFrom:
  - configMapRef: {name: app-env}
  - secretRef: {name: app-secret-env}
  env:
  - {name: A, valueFrom: {configMapKeyRef: {name: app-config, key: a}}}
  - {name: B, valueFrom: {secretKeyRef: {name: app-secret, key: b}}}
  - {name: C, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
  - {name: D, valueFrom: {configMapKeyRef: {name: app-config, key: d}}}
volumes:
- {name: config, configMap: {name: app-config}}
- {name: secret, secret: {secretName: tls}}
- name: projected
  projected:
    sources:
    - configMap: {name: projected-config}
    - secret: {name: projected-secret}
    - serviceAccountToken: {path: token}
- {name: data, persistentVolumeClaim: {claimName: data}}
- {name: csi, csi: {driver: secrets-store.csi.k8s.io, nodePublishSecretRef: {name: csi-creds}}}
- {name: scratch, emptyDir: {}}`

// everyReference is what everyReferencePodSpec depends on, in namespace ns, sorted.
func everyReference(ns string) []DependentObjectReference {
	return []DependentObjectReference{
		ref("ConfigMap", ns, "app-config"),
		ref("ConfigMap", ns, "app-env"),
		ref("ConfigMap", ns, "init-env"),
		ref("ConfigMap", ns, "projected-config"),
		ref("PersistentVolumeClaim", ns, "data"),
		ref("Secret", ns, "app-secret"),
		ref("Secret", ns, "app-secret-env"),
		ref("Secret", ns, "csi-creds"),
		ref("Secret", ns, "projected-secret"),
		ref("Secret", ns, "registry"),
		ref("Secret", ns, "tls"),
		ref("ServiceAccount", ns, "app"),
	}
}

func TestGetDependenciesNative(t *testing.T) {
	tests := []struct {
		name     string
		manifest string
		want     []DependentObjectReference
	}{{
		name:     "Deployment: everything its pod template refers to, deduplicated and sorted",
		manifest: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: shop}\nspec:\n  template:\n    spec:\n" + indent(everyReferencePodSpec, "      "),
		want:     everyReference("shop"),
	}, {
		name:     "ReplicaSet",
		manifest: "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: a, namespace: shop}\nspec:\n  template:\n    spec:\n" + indent(everyReferencePodSpec, "      "),
		want:     everyReference("shop"),
	}, {
		name:     "DaemonSet",
		manifest: "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, namespace: shop}\nspec:\n  template:\n    spec:\n" + indent(everyReferencePodSpec, "      "),
		want:     everyReference("shop"),
	}, {
		name:     "Job",
		manifest: "apiVersion: batch/v1\nkind: Job\nmetadata: {name: a, namespace: shop}\nspec:\n  template:\n    spec:\n" + indent(everyReferencePodSpec, "      "),
		want:     everyReference("shop"),
	}, {
		name:     "CronJob: the pod template of its job template",
		manifest: "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a, namespace: shop}\nspec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n" + indent(everyReferencePodSpec, "          "),
		want:     everyReference("shop"),
	}, {
		name:     "Pod",
		manifest: "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: shop}\nspec:\n" + indent(everyReferencePodSpec, "  "),
		want:     everyReference("shop"),
	}, {
		name: "the default ServiceAccount is not a dependency",
		manifest: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: a, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: default
      containers: [{name: a}]`,
		want: nil,
	}, {
		name: "a template without namespace yields dependencies without namespace",
		manifest: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec:
  template:
    spec:
      serviceAccountName: app
      containers: [{name: a}]`,
		want: []DependentObjectReference{ref("ServiceAccount", "", "app")},
	}, {
		name: "secrets of volume plugins",
		manifest: `
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec:
  containers: [{name: a}]
  volumes:
  - {name: azure, azureFile: {secretName: azure, shareName: s}}
  - {name: ceph, cephfs: {monitors: [m], secretRef: {name: ceph}}}
  - {name: rbd, rbd: {monitors: [m], image: i, secretRef: {name: rbd}}}
  - {name: iscsi, iscsi: {targetPortal: p, iqn: q, lun: 0, secretRef: {name: iscsi}}}
  - {name: flex, flexVolume: {driver: d, secretRef: {name: flex}}}`,
		want: []DependentObjectReference{
			ref("Secret", "shop", "azure"), ref("Secret", "shop", "ceph"), ref("Secret", "shop", "flex"),
			ref("Secret", "shop", "iscsi"), ref("Secret", "shop", "rbd"),
		},
	}, {
		name: "StatefulSet: claims of its volumeClaimTemplates are dropped, other claims kept",
		manifest: `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  volumeClaimTemplates:
  - metadata: {name: data}
  template:
    spec:
      containers: [{name: db, envFrom: [{secretRef: {name: db-password}}]}]
      volumes:
      - {name: data, persistentVolumeClaim: {claimName: data}}
      - {name: shared, persistentVolumeClaim: {claimName: shared}}`,
		want: []DependentObjectReference{ref("PersistentVolumeClaim", "shop", "shared"), ref("Secret", "shop", "db-password")},
	}, {
		name: "Ingress: the Secrets of its TLS entries",
		manifest: `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  tls:
  - {hosts: [b.example.com], secretName: b-tls}
  - {hosts: [a.example.com], secretName: a-tls}
  - {hosts: [c.example.com], secretName: a-tls}`,
		want: []DependentObjectReference{ref("Secret", "shop", "a-tls"), ref("Secret", "shop", "b-tls")},
	}, {
		name: "ServiceImport: the derived Service and its EndpointSlices",
		manifest: `
apiVersion: multicluster.x-k8s.io/v1alpha1
kind: ServiceImport
metadata: {name: db, namespace: shop}
spec: {type: ClusterSetIP, ports: [{port: 5432, protocol: TCP}]}`,
		want: []DependentObjectReference{
			{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice", Namespace: "shop",
				LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/service-name": "derived-db"}}},
			ref("Service", "shop", "derived-db"),
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			i := newInterpreter(t)
			obj := object(t, tt.manifest)
			g.Expect(i.HookEnabled(obj.GroupVersionKind(), v1alpha1.InterpreterOperationInterpretDependency)).To(BeTrue())
			got, err := i.GetDependencies(obj)
			g.Expect(err).NotTo(HaveOccurred())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("dependencies (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetDependenciesNativeErrors(t *testing.T) {
	g := NewWithT(t)
	i := newInterpreter(t)

	_, err := i.GetDependencies(object(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}"))
	g.Expect(errors.Is(err, ErrNoHook)).To(BeTrue(), "%v", err)

	// Valid Kubernetes (the controller's default certificate), rejected by Karmada's
	// dependency verification all the same.
	_, err = i.GetDependencies(object(t, `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  tls: [{hosts: [a.example.com]}]`))
	g.Expect(err).To(MatchError(ContainSubstring("dependency can not leave name and labelSelector all empty")))
	g.Expect(err).To(MatchError(ContainSubstring("InterpretDependency of networking.k8s.io/v1 Ingress shop/web")))
}

func TestNormalizeDependencies(t *testing.T) {
	sel := func(v string) *metav1.LabelSelector {
		return &metav1.LabelSelector{MatchLabels: map[string]string{"app": v}}
	}
	in := []DependentObjectReference{
		{APIVersion: "v1", Kind: "Secret", Namespace: "b", Name: "x"},
		{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice", Namespace: "a", LabelSelector: sel("2")},
		{APIVersion: "v1", Kind: "Secret", Namespace: "a", Name: "x"},
		{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice", Namespace: "a", LabelSelector: sel("1")},
		{APIVersion: "v1", Kind: "ConfigMap", Namespace: "b", Name: "x"},
		{APIVersion: "v1", Kind: "Secret", Namespace: "a", Name: "x"},
		{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice", Namespace: "a", LabelSelector: sel("1")},
	}
	want := []DependentObjectReference{
		{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice", Namespace: "a", LabelSelector: sel("1")},
		{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice", Namespace: "a", LabelSelector: sel("2")},
		{APIVersion: "v1", Kind: "ConfigMap", Namespace: "b", Name: "x"},
		{APIVersion: "v1", Kind: "Secret", Namespace: "a", Name: "x"},
		{APIVersion: "v1", Kind: "Secret", Namespace: "b", Name: "x"},
	}
	if diff := cmp.Diff(want, normalizeDependencies(in)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	NewWithT(t).Expect(normalizeDependencies(nil)).To(BeNil())
}
