package charts_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/rand"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/gitfleet/gitfleet/reconciler/devcluster"
)

// The charts, relative to this package's directory (where `go test` runs).
const (
	hubChart   = "gitfleet"
	agentChart = "gitfleet-agent"
)

// The values each chart cannot render without.
var (
	hubRequired   = []string{"--set", "repo=https://git.example.com/platform/fleet.git"}
	agentRequired = []string{"--set", "cluster=edge-1", "--set", "repo=https://git.example.com/platform/fleet.git"}
)

// helmCLI runs bin/helm with its configuration, cache and data in a temporary directory and a
// kubeconfig that does not exist, so that neither the developer's helm setup nor their
// current cluster is used.
type helmCLI struct {
	path string
	env  []string
}

// newHelm finds bin/helm where devcluster finds its binaries, and skips the test without it.
func newHelm(t *testing.T) *helmCLI {
	t.Helper()
	dir, err := devcluster.DefaultBinDir()
	if err != nil {
		t.Skipf("helm: %v", err)
	}
	path := filepath.Join(dir, "helm")
	if st, err := os.Stat(path); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		t.Skipf("helm not found at %s: run `make tools` (or `make test`, which builds it) to build it", path)
	}
	home := t.TempDir()
	return &helmCLI{path: path, env: append(os.Environ(),
		"HELM_CACHE_HOME="+filepath.Join(home, "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(home, "config"),
		"HELM_DATA_HOME="+filepath.Join(home, "data"),
		"KUBECONFIG="+filepath.Join(home, "no-kubeconfig"),
	)}
}

// run runs helm with args and returns its standard output; an error carries standard error.
func (h *helmCLI) run(args ...string) (string, error) {
	cmd := exec.Command(h.path, args...)
	cmd.Env = h.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("helm %s: %w\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}

// rendered are the objects of a `helm template`, keyed by kind/namespace/name.
type rendered map[string]*unstructured.Unstructured

// template renders chart as release in namespace with values args and parses the objects.
func (h *helmCLI) template(t *testing.T, chart, namespace string, args ...string) rendered {
	t.Helper()
	out, err := h.run(append([]string{"template", "test", chart, "--namespace", namespace}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	objs := rendered{}
	dec := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(out), 4096)
	for {
		var m map[string]any
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("parsing the output of helm template %s: %v\n%s", chart, err, out)
		}
		if len(m) == 0 {
			continue
		}
		u := &unstructured.Unstructured{Object: m}
		key := u.GetKind() + "/" + u.GetNamespace() + "/" + u.GetName()
		if _, dup := objs[key]; dup {
			t.Fatalf("helm template %s: %s rendered twice", chart, key)
		}
		objs[key] = u
	}
	return objs
}

// kinds lists the rendered objects' keys of one kind.
func (r rendered) kinds(kind string) []string {
	var keys []string
	for k := range r {
		if strings.HasPrefix(k, kind+"/") {
			keys = append(keys, k)
		}
	}
	return keys
}

// get converts the rendered object kind/namespace/name into T, failing the test when it is
// not there.
func get[T any](t *testing.T, r rendered, kind, namespace, name string) *T {
	t.Helper()
	u, ok := r[kind+"/"+namespace+"/"+name]
	if !ok {
		t.Fatalf("%s %s/%s not rendered; rendered: %v", kind, namespace, name, keys(r))
	}
	obj := new(T)
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, obj); err != nil {
		t.Fatalf("%s %s/%s: %v", kind, namespace, name, err)
	}
	return obj
}

func keys(r rendered) []string {
	var ks []string
	for k := range r {
		ks = append(ks, k)
	}
	return ks
}

// expectHardened checks the security context both charts promise: non-root 65532, read-only
// root file system, no privilege escalation, no capabilities, the runtime's seccomp profile,
// and an emptyDir for the clone at --cache-dir (the root file system being read-only).
func expectHardened(g Gomega, dep *appsv1.Deployment) {
	pod := dep.Spec.Template.Spec
	g.Expect(pod.SecurityContext).NotTo(BeNil())
	g.Expect(pod.SecurityContext.RunAsNonRoot).To(Equal(ptr.To(true)))
	g.Expect(pod.SecurityContext.RunAsUser).To(Equal(ptr.To[int64](65532)))
	g.Expect(pod.SecurityContext.SeccompProfile).To(Equal(&corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}))
	g.Expect(pod.Containers).To(HaveLen(1))
	c := pod.Containers[0]
	g.Expect(c.SecurityContext).To(Equal(&corev1.SecurityContext{
		RunAsNonRoot:             ptr.To(true),
		RunAsUser:                ptr.To[int64](65532),
		ReadOnlyRootFilesystem:   ptr.To(true),
		AllowPrivilegeEscalation: ptr.To(false),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
		SeccompProfile:           &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}))
	g.Expect(c.Args).To(ContainElement("--cache-dir=/var/cache/gitfleet"))
	g.Expect(c.VolumeMounts).To(ContainElement(corev1.VolumeMount{Name: "cache", MountPath: "/var/cache/gitfleet"}))
	g.Expect(pod.Volumes).To(ContainElement(And(HaveField("Name", "cache"), HaveField("EmptyDir", Not(BeNil())))))
	g.Expect(c.Image).To(Equal("ghcr.io/gitfleet/gitfleet:0.1.0"))
}

// volume returns the pod's volume called name, or nil.
func volume(dep *appsv1.Deployment, name string) *corev1.Volume {
	for i, v := range dep.Spec.Template.Spec.Volumes {
		if v.Name == name {
			return &dep.Spec.Template.Spec.Volumes[i]
		}
	}
	return nil
}

// TestLint lints both charts with the values they need.
func TestLint(t *testing.T) {
	h := newHelm(t)
	for chart, values := range map[string][]string{hubChart: hubRequired, agentChart: agentRequired} {
		t.Run(chart, func(t *testing.T) {
			if out, err := h.run(append([]string{"lint", "--strict", chart}, values...)...); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
		})
	}
}

// TestSchemaRejects checks that values.schema.json refuses what would install a broken
// hub or agent, naming the value at fault.
func TestSchemaRejects(t *testing.T) {
	h := newHelm(t)
	repo := "repo=https://git.example.com/platform/fleet.git"
	for _, tc := range []struct {
		name, chart string
		args        []string
		want        string
	}{
		{"hub without repo", hubChart, nil, "/repo"},
		{"hub with a repo that is no URL", hubChart, []string{"--set", "repo=fleet"}, "/repo"},
		{"hub with a token and no Secret", hubChart, []string{"--set", repo, "--set", "git.auth=token"}, "/git/secretName"},
		{"hub with an SSH key (it reads none)", hubChart, []string{"--set", repo, "--set", "git.auth=ssh", "--set", "git.secretName=git"}, "/git/auth"},
		{"hub with a misspelt value", hubChart, []string{"--set", repo, "--set", "replicas=2"}, "replicas"},
		{"agent without cluster", agentChart, []string{"--set", repo}, "/cluster"},
		{"agent with a cluster name that is no DNS label", agentChart, []string{"--set", repo, "--set", "cluster=Edge_1"}, "/cluster"},
		{"agent without repo", agentChart, []string{"--set", "cluster=edge-1"}, "/repo"},
		{"agent with basic auth and no user name", agentChart, []string{"--set", "cluster=edge-1", "--set", repo, "--set", "git.auth=basic", "--set", "git.secretName=git"}, "/git/username"},
		{"agent with SSH and no Secret", agentChart, []string{"--set", "cluster=edge-1", "--set", repo, "--set", "git.auth=ssh"}, "/git/secretName"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := h.run(append([]string{"template", "test", tc.chart}, tc.args...)...)
			g.Expect(err).To(HaveOccurred())
			g.Expect(err.Error()).To(And(ContainSubstring("values don't meet the specifications of the schema"), ContainSubstring(tc.want)))
			_, err = h.run(append([]string{"lint", tc.chart}, tc.args...)...)
			g.Expect(err).To(HaveOccurred(), "helm lint accepts what helm template rejects")
		})
	}
}

// TestHubRender checks the hub's objects: a hardened Deployment running the controller with
// its HTTP endpoints, probes and cache; RBAC that reads Secrets in its namespace and nothing
// else; and each optional Secret reference wired to the flag or variable the controller reads.
func TestHubRender(t *testing.T) {
	h := newHelm(t)
	const ns = "gitfleet"
	const name = "test-gitfleet"

	t.Run("defaults", func(t *testing.T) {
		g := NewWithT(t)
		objs := h.template(t, hubChart, ns, hubRequired...)
		g.Expect(keys(objs)).To(ConsistOf(
			"ServiceAccount/gitfleet/"+name, "Role/gitfleet/"+name, "RoleBinding/gitfleet/"+name,
			"Service/gitfleet/"+name, "Deployment/gitfleet/"+name))

		dep := get[appsv1.Deployment](t, objs, "Deployment", ns, name)
		g.Expect(dep.Spec.Replicas).To(Equal(ptr.To[int32](1)))
		expectHardened(g, dep)
		pod := dep.Spec.Template.Spec
		g.Expect(pod.ServiceAccountName).To(Equal(name))
		c := pod.Containers[0]
		g.Expect(c.Args).To(Equal([]string{"controller", "--repo=https://git.example.com/platform/fleet.git",
			"--interval=30s", "--listen=:8080", "--cache-dir=/var/cache/gitfleet"}))
		g.Expect(c.Env).To(BeEmpty(), "no Git credentials unless asked")
		g.Expect(c.Ports).To(ConsistOf(HaveField("ContainerPort", int32(8080))))
		g.Expect(c.LivenessProbe.HTTPGet.Path).To(Equal("/healthz"))
		g.Expect(c.ReadinessProbe.HTTPGet.Path).To(Equal("/readyz"))
		g.Expect(c.LivenessProbe.HTTPGet.Port.String()).To(Equal("http"))
		g.Expect(c.Resources.Requests).NotTo(BeEmpty())
		g.Expect(volume(dep, "cluster-credentials")).To(BeNil())
		g.Expect(volume(dep, "webhook-secret")).To(BeNil())

		role := get[rbacv1.Role](t, objs, "Role", ns, name)
		g.Expect(role.Rules).To(Equal([]rbacv1.PolicyRule{{
			APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"get", "list", "watch"},
		}}))
		binding := get[rbacv1.RoleBinding](t, objs, "RoleBinding", ns, name)
		g.Expect(binding.RoleRef).To(Equal(rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: name}))
		g.Expect(binding.Subjects).To(Equal([]rbacv1.Subject{{Kind: "ServiceAccount", Name: name, Namespace: ns}}))

		svc := get[corev1.Service](t, objs, "Service", ns, name)
		g.Expect(svc.Spec.Selector).To(Equal(dep.Spec.Selector.MatchLabels))
		g.Expect(svc.Spec.Ports).To(ConsistOf(HaveField("TargetPort.StrVal", "http")))
	})

	t.Run("every option", func(t *testing.T) {
		g := NewWithT(t)
		objs := h.template(t, hubChart, ns, append(hubRequired,
			"--set", "replicaCount=2",
			"--set", "git.auth=token", "--set", "git.secretName=fleet-git", "--set", "git.tokenKey=pat",
			"--set", "clusterCredentials.secretName=fleet-kubeconfigs",
			"--set", "webhook.secretName=fleet-webhook", "--set", "webhook.secretKey=hmac",
			"--set", "rbac.secretNames={edge-1,edge-2}", "--set", "rbac.extraNamespaces={clusters}",
			"--set", "serviceMonitor.enabled=true",
			"--set", "extraArgs={--cluster-branches,--sync-concurrency=8}",
			"--set", "nodeSelector.role=hub", "--set", "podAnnotations.team=platform",
		)...)
		dep := get[appsv1.Deployment](t, objs, "Deployment", ns, name)
		g.Expect(dep.Spec.Replicas).To(Equal(ptr.To[int32](2)))
		expectHardened(g, dep)
		pod := dep.Spec.Template.Spec
		c := pod.Containers[0]
		g.Expect(c.Args).To(Equal([]string{"controller", "--repo=https://git.example.com/platform/fleet.git",
			"--interval=30s", "--listen=:8080", "--cache-dir=/var/cache/gitfleet",
			"--credentials-dir=/etc/gitfleet/clusters", "--webhook-secret-file=/etc/gitfleet/webhook/hmac",
			"--cluster-branches", "--sync-concurrency=8"}))
		g.Expect(c.Env).To(Equal([]corev1.EnvVar{{Name: "GITFLEET_GIT_TOKEN", ValueFrom: &corev1.EnvVarSource{
			SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "fleet-git"}, Key: "pat"}}}}))
		g.Expect(volume(dep, "cluster-credentials").Secret.SecretName).To(Equal("fleet-kubeconfigs"))
		webhook := volume(dep, "webhook-secret").Secret
		g.Expect(webhook.SecretName).To(Equal("fleet-webhook"))
		g.Expect(webhook.Items).To(Equal([]corev1.KeyToPath{{Key: "hmac", Path: "hmac"}}))
		g.Expect(c.VolumeMounts).To(ContainElements(
			corev1.VolumeMount{Name: "cluster-credentials", MountPath: "/etc/gitfleet/clusters", ReadOnly: true},
			corev1.VolumeMount{Name: "webhook-secret", MountPath: "/etc/gitfleet/webhook", ReadOnly: true}))
		g.Expect(pod.NodeSelector).To(Equal(map[string]string{"role": "hub"}))
		g.Expect(dep.Spec.Template.Annotations).To(HaveKeyWithValue("team", "platform"))

		for _, roleNS := range []string{ns, "clusters"} {
			role := get[rbacv1.Role](t, objs, "Role", roleNS, name)
			g.Expect(role.Rules).To(Equal([]rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"secrets"},
				ResourceNames: []string{"edge-1", "edge-2"}, Verbs: []string{"get", "list", "watch"}}}))
			binding := get[rbacv1.RoleBinding](t, objs, "RoleBinding", roleNS, name)
			g.Expect(binding.Subjects).To(Equal([]rbacv1.Subject{{Kind: "ServiceAccount", Name: name, Namespace: ns}}))
		}
		g.Expect(append(objs.kinds("ClusterRole"), objs.kinds("ClusterRoleBinding")...)).To(BeEmpty(), "the hub needs nothing cluster-wide")

		sm := objs["ServiceMonitor/"+ns+"/"+name]
		g.Expect(sm).NotTo(BeNil())
		g.Expect(sm.GetAPIVersion()).To(Equal("monitoring.coreos.com/v1"))
		endpoints, _, _ := unstructured.NestedSlice(sm.Object, "spec", "endpoints")
		g.Expect(endpoints).To(ConsistOf(And(HaveKeyWithValue("port", "http"), HaveKeyWithValue("path", "/metrics"))))
	})

	t.Run("basic auth", func(t *testing.T) {
		g := NewWithT(t)
		objs := h.template(t, hubChart, ns, append(hubRequired, "--set", "git.auth=basic", "--set", "git.secretName=fleet-git")...)
		c := get[appsv1.Deployment](t, objs, "Deployment", ns, name).Spec.Template.Spec.Containers[0]
		ref := func(key string) *corev1.EnvVarSource {
			return &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "fleet-git"}, Key: key}}
		}
		g.Expect(c.Env).To(Equal([]corev1.EnvVar{
			{Name: "GITFLEET_GIT_USERNAME", ValueFrom: ref("username")},
			{Name: "GITFLEET_GIT_PASSWORD", ValueFrom: ref("password")},
		}))
	})
}

// TestAgentRender checks the agent's objects: a hardened single-replica Deployment running
// `gitfleet agent` for its cluster, a ClusterRole that lets it apply anything (or a binding to
// a narrower existing role), and each Git credential mounted at the file its flag names.
func TestAgentRender(t *testing.T) {
	h := newHelm(t)
	const ns = "gitfleet-system"
	const name = "test-gitfleet-agent"
	baseArgs := []string{"agent", "--cluster=edge-1", "--repo=https://git.example.com/platform/fleet.git", "--cache-dir=/var/cache/gitfleet"}

	t.Run("defaults", func(t *testing.T) {
		g := NewWithT(t)
		objs := h.template(t, agentChart, ns, agentRequired...)
		g.Expect(keys(objs)).To(ConsistOf("ServiceAccount/"+ns+"/"+name, "ClusterRole//"+name,
			"ClusterRoleBinding//"+name, "Deployment/"+ns+"/"+name))
		dep := get[appsv1.Deployment](t, objs, "Deployment", ns, name)
		g.Expect(dep.Spec.Replicas).To(Equal(ptr.To[int32](1)))
		g.Expect(dep.Spec.Strategy.Type).To(Equal(appsv1.RecreateDeploymentStrategyType))
		expectHardened(g, dep)
		g.Expect(dep.Spec.Template.Spec.ServiceAccountName).To(Equal(name))
		g.Expect(dep.Spec.Template.Spec.Containers[0].Args).To(Equal(baseArgs))
		g.Expect(volume(dep, "git-credentials")).To(BeNil())

		role := get[rbacv1.ClusterRole](t, objs, "ClusterRole", "", name)
		g.Expect(role.Rules).To(ContainElement(rbacv1.PolicyRule{APIGroups: []string{"*"}, Resources: []string{"*"}, Verbs: []string{"*"}}))
		binding := get[rbacv1.ClusterRoleBinding](t, objs, "ClusterRoleBinding", "", name)
		g.Expect(binding.RoleRef).To(Equal(rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: name}))
		g.Expect(binding.Subjects).To(Equal([]rbacv1.Subject{{Kind: "ServiceAccount", Name: name, Namespace: ns}}))
	})

	t.Run("a narrower existing ClusterRole", func(t *testing.T) {
		g := NewWithT(t)
		objs := h.template(t, agentChart, ns, append(agentRequired, "--set", "rbac.existingClusterRole=fleet-apply")...)
		g.Expect(objs.kinds("ClusterRole")).To(BeEmpty(), "no ClusterRole of the chart's own")
		binding := get[rbacv1.ClusterRoleBinding](t, objs, "ClusterRoleBinding", "", name)
		g.Expect(binding.RoleRef).To(Equal(rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "fleet-apply"}))
	})

	for _, tc := range []struct {
		name     string
		values   []string
		args     []string
		secretOf []corev1.KeyToPath
	}{
		{
			name:     "token",
			values:   []string{"git.auth=token", "git.secretName=fleet-git"},
			args:     []string{"--git-token-file=/etc/gitfleet/git/token"},
			secretOf: []corev1.KeyToPath{{Key: "token", Path: "token"}},
		},
		{
			name:     "basic",
			values:   []string{"git.auth=basic", "git.secretName=fleet-git", "git.username=edge-bot", "git.passwordKey=pw"},
			args:     []string{"--git-username=edge-bot", "--git-password-file=/etc/gitfleet/git/pw"},
			secretOf: []corev1.KeyToPath{{Key: "pw", Path: "pw"}},
		},
		{
			name:     "ssh",
			values:   []string{"git.auth=ssh", "git.secretName=fleet-git"},
			args:     []string{"--git-ssh-key-file=/etc/gitfleet/git/identity", "--git-known-hosts-file=/etc/gitfleet/git/known_hosts"},
			secretOf: []corev1.KeyToPath{{Key: "identity", Path: "identity"}, {Key: "known_hosts", Path: "known_hosts"}},
		},
	} {
		t.Run("git credentials: "+tc.name, func(t *testing.T) {
			g := NewWithT(t)
			values := append([]string{}, agentRequired...)
			for _, v := range tc.values {
				values = append(values, "--set", v)
			}
			objs := h.template(t, agentChart, ns, values...)
			dep := get[appsv1.Deployment](t, objs, "Deployment", ns, name)
			c := dep.Spec.Template.Spec.Containers[0]
			g.Expect(c.Args).To(Equal(append(append([]string{}, baseArgs...), tc.args...)))
			g.Expect(c.VolumeMounts).To(ContainElement(corev1.VolumeMount{Name: "git-credentials", MountPath: "/etc/gitfleet/git", ReadOnly: true}))
			secret := volume(dep, "git-credentials").Secret
			g.Expect(secret.SecretName).To(Equal("fleet-git"))
			g.Expect(secret.Items).To(Equal(tc.secretOf))
		})
	}
}

// TestInstall installs both charts into a real API server and checks what it stored, and
// that the authorizer gives each ServiceAccount what the charts promise: the hub reads
// Secrets in its namespace only and can change nothing; the agent can apply anywhere. Pods do
// not run (the cluster is an API server only).
func TestInstall(t *testing.T) {
	h := newHelm(t)
	fleet := devcluster.StartForTest(t, devcluster.Options{Clusters: []string{"hub"}})
	cluster := fleet.Cluster("hub")
	kubeconfig := filepath.Join(fleet.Dir, cluster.Name+".kubeconfig")
	cs, err := kubernetes.NewForConfig(cluster.Config)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	suffix := rand.String(5)
	hubNS, agentNS := "gitfleet-"+suffix, "gitfleet-system-"+suffix
	hubRelease, agentRelease := "hub-"+suffix, "agent-"+suffix

	if _, err := h.run(append([]string{"install", hubRelease, hubChart, "--kubeconfig", kubeconfig,
		"--namespace", hubNS, "--create-namespace",
		"--set", "git.auth=token", "--set", "git.secretName=fleet-git",
		"--set", "webhook.secretName=fleet-webhook"}, hubRequired...)...); err != nil {
		t.Fatal(err)
	}
	if _, err := h.run(append([]string{"install", agentRelease, agentChart, "--kubeconfig", kubeconfig,
		"--namespace", agentNS, "--create-namespace",
		"--set", "git.auth=ssh", "--set", "git.secretName=fleet-git"}, agentRequired...)...); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for release, ns := range map[string]string{hubRelease: hubNS, agentRelease: agentNS} {
			if _, err := h.run("uninstall", release, "--kubeconfig", kubeconfig, "--namespace", ns); err != nil {
				t.Errorf("uninstall: %v", err)
			}
		}
	})

	t.Run("hub objects", func(t *testing.T) {
		g := NewWithT(t)
		name := hubRelease + "-gitfleet"
		dep, err := cs.AppsV1().Deployments(hubNS).Get(ctx, name, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		expectHardened(g, dep)
		c := dep.Spec.Template.Spec.Containers[0]
		g.Expect(c.Args).To(ContainElements("controller", "--repo=https://git.example.com/platform/fleet.git",
			"--listen=:8080", "--webhook-secret-file=/etc/gitfleet/webhook/secret"))
		g.Expect(c.Env).To(ConsistOf(HaveField("ValueFrom.SecretKeyRef.Name", "fleet-git")))
		g.Expect(volume(dep, "webhook-secret").Secret.SecretName).To(Equal("fleet-webhook"))

		_, err = cs.CoreV1().ServiceAccounts(hubNS).Get(ctx, name, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		svc, err := cs.CoreV1().Services(hubNS).Get(ctx, name, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(svc.Spec.ClusterIP).NotTo(BeEmpty())
		g.Expect(svc.Spec.Ports).To(ConsistOf(And(HaveField("Port", int32(8080)), HaveField("TargetPort.StrVal", "http"))))
		_, err = cs.RbacV1().Roles(hubNS).Get(ctx, name, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		_, err = cs.RbacV1().RoleBindings(hubNS).Get(ctx, name, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		_, err = cs.RbacV1().ClusterRoles().Get(ctx, name, metav1.GetOptions{})
		g.Expect(apierrors.IsNotFound(err)).To(BeTrue(), "the hub chart installs no ClusterRole")

		sa := serviceAccountUser(hubNS, name)
		for _, tc := range []struct {
			attrs authorizationv1.ResourceAttributes
			want  bool
		}{
			{authorizationv1.ResourceAttributes{Namespace: hubNS, Verb: "get", Resource: "secrets", Name: "edge-1"}, true},
			{authorizationv1.ResourceAttributes{Namespace: hubNS, Verb: "list", Resource: "secrets"}, true},
			{authorizationv1.ResourceAttributes{Namespace: "default", Verb: "get", Resource: "secrets", Name: "edge-1"}, false},
			{authorizationv1.ResourceAttributes{Namespace: hubNS, Verb: "create", Resource: "secrets"}, false},
			{authorizationv1.ResourceAttributes{Namespace: hubNS, Verb: "update", Resource: "configmaps", Name: "x"}, false},
			{authorizationv1.ResourceAttributes{Namespace: hubNS, Verb: "create", Group: "apps", Resource: "deployments"}, false},
		} {
			g.Expect(allowed(ctx, g, cs, sa, tc.attrs)).To(Equal(tc.want), "hub: %+v", tc.attrs)
		}
	})

	t.Run("agent objects", func(t *testing.T) {
		g := NewWithT(t)
		name := agentRelease + "-gitfleet-agent"
		dep, err := cs.AppsV1().Deployments(agentNS).Get(ctx, name, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		expectHardened(g, dep)
		g.Expect(dep.Spec.Template.Spec.Containers[0].Args).To(ContainElements("agent", "--cluster=edge-1",
			"--git-ssh-key-file=/etc/gitfleet/git/identity", "--git-known-hosts-file=/etc/gitfleet/git/known_hosts"))
		_, err = cs.CoreV1().ServiceAccounts(agentNS).Get(ctx, name, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		_, err = cs.RbacV1().ClusterRoles().Get(ctx, name, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		binding, err := cs.RbacV1().ClusterRoleBindings().Get(ctx, name, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(binding.Subjects).To(Equal([]rbacv1.Subject{{Kind: "ServiceAccount", Name: name, Namespace: agentNS}}))

		sa := serviceAccountUser(agentNS, name)
		for _, attrs := range []authorizationv1.ResourceAttributes{
			{Verb: "create", Resource: "namespaces"},
			{Verb: "create", Group: "apiextensions.k8s.io", Resource: "customresourcedefinitions"},
			{Namespace: "shop", Verb: "patch", Group: "apps", Resource: "deployments", Name: "web"},
			{Namespace: "gitfleet-system", Verb: "update", Resource: "configmaps", Name: "gitfleet-inventory"},
			{Namespace: "shop", Verb: "delete", Resource: "services", Name: "web"},
			{Verb: "list", Resource: "nodes"},
		} {
			g.Expect(allowed(ctx, g, cs, sa, attrs)).To(BeTrue(), "agent: %+v", attrs)
		}
	})
}

// serviceAccountUser is how the API server authenticates a ServiceAccount's token.
func serviceAccountUser(namespace, name string) authorizationv1.SubjectAccessReviewSpec {
	return authorizationv1.SubjectAccessReviewSpec{
		User:   "system:serviceaccount:" + namespace + ":" + name,
		Groups: []string{"system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated"},
	}
}

// allowed asks the API server's authorizer whether user may do attrs.
func allowed(ctx context.Context, g Gomega, cs kubernetes.Interface, user authorizationv1.SubjectAccessReviewSpec, attrs authorizationv1.ResourceAttributes) bool {
	user.ResourceAttributes = &attrs
	review, err := cs.AuthorizationV1().SubjectAccessReviews().Create(ctx, &authorizationv1.SubjectAccessReview{Spec: user}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	return review.Status.Allowed
}
