package interpreter

import (
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// derivedServicePrefix prefixes the name of the Service that Karmada's service-import
// controller derives from a ServiceImport (§6.1).
const derivedServicePrefix = "derived-"

// endpointSliceServiceNameLabel is the label that ties an EndpointSlice to its Service
// (discovery.k8s.io/v1 LabelServiceName).
const endpointSliceServiceNameLabel = "kubernetes.io/service-name"

// nativeGetDependencies is Karmada's native InterpretDependency (§5.2, dependencies.go).
// handled is false for kinds it does not know. The result is neither sorted nor verified.
func nativeGetDependencies(obj *unstructured.Unstructured) (handled bool, deps []DependentObjectReference, err error) {
	ns := obj.GetNamespace()
	switch obj.GroupVersionKind() {
	case deploymentGVK:
		d, err := typed[appsv1.Deployment](obj)
		if err != nil {
			return true, nil, err
		}
		return true, podDependencies(&d.Spec.Template.Spec, ns), nil
	case replicaSetGVK:
		rs, err := typed[appsv1.ReplicaSet](obj)
		if err != nil {
			return true, nil, err
		}
		return true, podDependencies(&rs.Spec.Template.Spec, ns), nil
	case daemonSetGVK:
		ds, err := typed[appsv1.DaemonSet](obj)
		if err != nil {
			return true, nil, err
		}
		return true, podDependencies(&ds.Spec.Template.Spec, ns), nil
	case statefulSetGVK:
		sts, err := typed[appsv1.StatefulSet](obj)
		if err != nil {
			return true, nil, err
		}
		return true, statefulSetDependencies(sts), nil
	case jobGVK:
		job, err := typed[batchv1.Job](obj)
		if err != nil {
			return true, nil, err
		}
		return true, podDependencies(&job.Spec.Template.Spec, ns), nil
	case cronJobGVK:
		cj, err := typed[batchv1.CronJob](obj)
		if err != nil {
			return true, nil, err
		}
		return true, podDependencies(&cj.Spec.JobTemplate.Spec.Template.Spec, ns), nil
	case podGVK:
		pod, err := typed[corev1.Pod](obj)
		if err != nil {
			return true, nil, err
		}
		return true, podDependencies(&pod.Spec, ns), nil
	case ingressGVK:
		ing, err := typed[networkingv1.Ingress](obj)
		if err != nil {
			return true, nil, err
		}
		return true, ingressDependencies(ing), nil
	case serviceImportGVK:
		return true, serviceImportDependencies(obj), nil
	}
	return false, nil, nil
}

// statefulSetDependencies are the pod template's dependencies without the claims of the
// volumeClaimTemplates: the StatefulSet controller creates those in each member cluster, so a
// claim of that name in the template namespace is at most a placeholder.
func statefulSetDependencies(sts *appsv1.StatefulSet) []DependentObjectReference {
	deps := podDependencies(&sts.Spec.Template.Spec, sts.Namespace)
	return slices.DeleteFunc(deps, func(d DependentObjectReference) bool {
		if d.Kind != "PersistentVolumeClaim" {
			return false
		}
		return slices.ContainsFunc(sts.Spec.VolumeClaimTemplates, func(t corev1.PersistentVolumeClaim) bool {
			return t.Name == d.Name
		})
	})
}

// ingressDependencies are the Secrets of the Ingress's TLS entries. An entry without a
// secretName still yields a (nameless) reference, which verification rejects, as in Karmada.
func ingressDependencies(ing *networkingv1.Ingress) []DependentObjectReference {
	var deps []DependentObjectReference
	for _, tls := range ing.Spec.TLS {
		deps = append(deps, DependentObjectReference{APIVersion: "v1", Kind: "Secret", Namespace: ing.Namespace, Name: tls.SecretName})
	}
	return deps
}

// serviceImportDependencies are the Service Karmada derives from a ServiceImport and the
// EndpointSlices of that Service, so that both follow the ServiceImport to consumer clusters
// (§6.1).
func serviceImportDependencies(obj *unstructured.Unstructured) []DependentObjectReference {
	derived := derivedServicePrefix + obj.GetName()
	return []DependentObjectReference{
		{APIVersion: "v1", Kind: "Service", Namespace: obj.GetNamespace(), Name: derived},
		{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice", Namespace: obj.GetNamespace(),
			LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{endpointSliceServiceNameLabel: derived}}},
	}
}

// podDependencies are the ConfigMaps, Secrets, ServiceAccount and PersistentVolumeClaims a
// pod spec refers to, all in the given namespace (Karmada's
// helper.GetDependenciesFromPodTemplate). Empty names are skipped, and so is the "default"
// ServiceAccount, which every namespace has. The deprecated serviceAccount field is not read.
func podDependencies(spec *corev1.PodSpec, namespace string) []DependentObjectReference {
	var deps []DependentObjectReference
	add := func(kind string) func(name string) {
		return func(name string) {
			if name != "" {
				deps = append(deps, DependentObjectReference{APIVersion: "v1", Kind: kind, Namespace: namespace, Name: name})
			}
		}
	}
	visitConfigMapNames(spec, add("ConfigMap"))
	visitSecretNames(spec, add("Secret"))
	if sa := spec.ServiceAccountName; sa != "default" {
		add("ServiceAccount")(sa)
	}
	for _, v := range spec.Volumes {
		if v.PersistentVolumeClaim != nil {
			add("PersistentVolumeClaim")(v.PersistentVolumeClaim.ClaimName)
		}
	}
	return deps
}

// visitContainers calls visit for every init, regular and ephemeral container of the spec.
func visitContainers(spec *corev1.PodSpec, visit func(c *corev1.Container)) {
	for i := range spec.InitContainers {
		visit(&spec.InitContainers[i])
	}
	for i := range spec.Containers {
		visit(&spec.Containers[i])
	}
	for i := range spec.EphemeralContainers {
		visit((*corev1.Container)(&spec.EphemeralContainers[i].EphemeralContainerCommon))
	}
}

// visitConfigMapNames calls visit with every ConfigMap name the spec refers to: envFrom and
// env valueFrom of every container, configMap volumes and projected configMap sources
// (Kubernetes' VisitPodConfigmapNames, as lifted by Karmada).
func visitConfigMapNames(spec *corev1.PodSpec, visit func(string)) {
	visitContainers(spec, func(c *corev1.Container) {
		for _, e := range c.EnvFrom {
			if e.ConfigMapRef != nil {
				visit(e.ConfigMapRef.Name)
			}
		}
		for _, e := range c.Env {
			if e.ValueFrom != nil && e.ValueFrom.ConfigMapKeyRef != nil {
				visit(e.ValueFrom.ConfigMapKeyRef.Name)
			}
		}
	})
	for i := range spec.Volumes {
		// One source per volume; a (malformed) volume with several is read by the first
		// of Kubernetes' cases that matches.
		switch src := &spec.Volumes[i].VolumeSource; {
		case src.Projected != nil:
			for _, p := range src.Projected.Sources {
				if p.ConfigMap != nil {
					visit(p.ConfigMap.Name)
				}
			}
		case src.ConfigMap != nil:
			visit(src.ConfigMap.Name)
		}
	}
}

// visitSecretNames calls visit with every Secret name the spec refers to: imagePullSecrets,
// envFrom and env valueFrom of every container, secret volumes, projected secret sources and
// the secret references of the volume plugins that have one (Kubernetes'
// VisitPodSecretNames, as lifted by Karmada).
func visitSecretNames(spec *corev1.PodSpec, visit func(string)) {
	for _, r := range spec.ImagePullSecrets {
		visit(r.Name)
	}
	visitContainers(spec, func(c *corev1.Container) {
		for _, e := range c.EnvFrom {
			if e.SecretRef != nil {
				visit(e.SecretRef.Name)
			}
		}
		for _, e := range c.Env {
			if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				visit(e.ValueFrom.SecretKeyRef.Name)
			}
		}
	})
	ref := func(r *corev1.LocalObjectReference) {
		if r != nil {
			visit(r.Name)
		}
	}
	for i := range spec.Volumes {
		switch src := &spec.Volumes[i].VolumeSource; {
		case src.AzureFile != nil:
			visit(src.AzureFile.SecretName)
		case src.CephFS != nil:
			ref(src.CephFS.SecretRef)
		case src.Cinder != nil:
			ref(src.Cinder.SecretRef)
		case src.FlexVolume != nil:
			ref(src.FlexVolume.SecretRef)
		case src.Projected != nil:
			for _, p := range src.Projected.Sources {
				if p.Secret != nil {
					visit(p.Secret.Name)
				}
			}
		case src.RBD != nil:
			ref(src.RBD.SecretRef)
		case src.Secret != nil:
			visit(src.Secret.SecretName)
		case src.ScaleIO != nil:
			ref(src.ScaleIO.SecretRef)
		case src.ISCSI != nil:
			ref(src.ISCSI.SecretRef)
		case src.StorageOS != nil:
			if r := src.StorageOS.SecretRef; r != nil {
				visit(r.Name)
			}
		case src.CSI != nil:
			ref(src.CSI.NodePublishSecretRef)
		}
	}
}
