package overrides

import (
	"fmt"
	"testing"

	. "github.com/onsi/gomega"
)

// describeOps renders operations as "op path value" lines for readable expectations.
func describeOps(ops []patchOperation) []string {
	out := make([]string, len(ops))
	for i, op := range ops {
		out[i] = fmt.Sprintf("%s %s %v", op.op, op.path, op.value)
	}
	return out
}

const (
	jobYAML = `
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: pi, image: "perl:5.34.0", command: [perl]}
`
	podYAML = `
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: web, image: fictional.registry.example/imagename:v1.0.0}
`
	oneContainerYAML = `
apiVersion: apps/v1
kind: %s
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - {name: web, image: fictional.registry.example/imagename:v1.0.0}
`
)

// The cases of Karmada's TestParseJSONPatchesByImageOverrider, and the component ×
// operator grid around them (semantics §1.2.2).
func TestImagePatch(t *testing.T) {
	deployment := fmt.Sprintf(oneContainerYAML, "Deployment")
	tests := []struct {
		name      string
		manifest  string
		overrider string
		want      []string
	}{
		{"Job, Registry add, no predicate", jobYAML, `{component: Registry, operator: add, value: registry.k8s.io}`,
			[]string{"replace /spec/template/spec/containers/0/image registry.k8s.io/perl:5.34.0"}},
		{"Job, Registry add, with predicate", jobYAML,
			`{predicate: {path: /spec/template/spec/containers/0/image}, component: Registry, operator: add, value: registry.k8s.io}`,
			[]string{"replace /spec/template/spec/containers/0/image registry.k8s.io/perl:5.34.0"}},
		{"Registry add appends text to the host", deployment, `{component: Registry, operator: add, value: .test}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.example.test/imagename:v1.0.0"}},
		{"Registry replace", deployment, `{component: Registry, operator: replace, value: fictional.registry.us}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.us/imagename:v1.0.0"}},
		{"Registry remove ignores the value", deployment, `{component: Registry, operator: remove, value: fictional.registry.us}`,
			[]string{"replace /spec/template/spec/containers/0/image imagename:v1.0.0"}},
		{"Repository add appends text to the repository", deployment, `{component: Repository, operator: add, value: /nginx}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.example/imagename/nginx:v1.0.0"}},
		{"Repository replace", deployment, `{component: Repository, operator: replace, value: nginx}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.example/nginx:v1.0.0"}},
		{"Repository remove leaves host/:tag", deployment, `{component: Repository, operator: remove, value: nginx}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.example/:v1.0.0"}},
		{"Tag add that makes neither a tag nor a digest changes nothing", deployment,
			`{component: Tag, operator: add, value: "` + digest64b + `"}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.example/imagename:v1.0.0"}},
		{"Tag replace with a digest swaps the tag for it", deployment, `{component: Tag, operator: replace, value: "` + digest64b + `"}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.example/imagename@" + digest64b}},
		{"Tag remove", deployment, `{component: Tag, operator: remove, value: "` + digest64b + `"}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.example/imagename"}},
		{"Tag add appends to the tag", deployment, `{component: Tag, operator: add, value: -debug}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.example/imagename:v1.0.0-debug"}},
		{"Tag replace with a tag", deployment, `{component: Tag, operator: replace, value: v2}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.example/imagename:v2"}},

		// Kinds: Pods at spec.containers, the other workloads at spec.template.spec.containers.
		{"Pod", podYAML, `{component: Repository, operator: replace, value: nginx}`,
			[]string{"replace /spec/containers/0/image fictional.registry.example/nginx:v1.0.0"}},
		{"StatefulSet", fmt.Sprintf(oneContainerYAML, "StatefulSet"), `{component: Repository, operator: replace, value: nginx}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.example/nginx:v1.0.0"}},
		{"ReplicaSet", fmt.Sprintf(oneContainerYAML, "ReplicaSet"), `{component: Repository, operator: replace, value: nginx}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.example/nginx:v1.0.0"}},
		{"DaemonSet", fmt.Sprintf(oneContainerYAML, "DaemonSet"), `{component: Repository, operator: replace, value: nginx}`,
			[]string{"replace /spec/template/spec/containers/0/image fictional.registry.example/nginx:v1.0.0"}},
		{"CronJob is not rewritten without a predicate", "{apiVersion: batch/v1, kind: CronJob, metadata: {name: c}, spec: {schedule: '* * * * *'}}",
			`{component: Registry, operator: replace, value: r.example}`, []string{}},
		{"ConfigMap is not rewritten without a predicate", "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {image: nginx}}",
			`{component: Registry, operator: replace, value: r.example}`, []string{}},

		// Every container, never an init container.
		{"every container but no init container", deploymentYAML, `{component: Repository, operator: replace, value: nginx}`,
			[]string{
				"replace /spec/template/spec/containers/0/image fictional.registry.example/nginx:v1.0.0",
				"replace /spec/template/spec/containers/1/image registry.k8s.io/nginx:0.8",
			}},
		{"a predicate picks one container", deploymentYAML,
			`{predicate: {path: /spec/template/spec/containers/1/image}, component: Repository, operator: replace, value: nginx}`,
			[]string{"replace /spec/template/spec/containers/1/image registry.k8s.io/nginx:0.8"}},
		{"a predicate reaches init containers and other kinds", "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {image: nginx}}",
			`{predicate: {path: /data/image}, component: Registry, operator: add, value: r.example}`,
			[]string{"replace /data/image r.example/nginx"}},

		// A host-less image gains a host by add; the digest beside a tag is lost.
		{"Registry add to an image without host", "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: nginx}]}}",
			`{component: Registry, operator: add, value: docker.io}`, []string{"replace /spec/containers/0/image docker.io/nginx"}},
		{"any rewrite drops a digest next to a tag",
			"{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: 'r.example/app:v1@" + digest64 + "'}]}}",
			`{component: Registry, operator: replace, value: r.example}`, []string{"replace /spec/containers/0/image r.example/app:v1"}},
		{"Tag remove on a digest removes the digest",
			"{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: 'app@" + digest64 + "'}]}}",
			`{component: Tag, operator: remove}`, []string{"replace /spec/containers/0/image app"}},
		{"Tag add appends to a digest, which is not validated again",
			"{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: 'app@" + digest64 + "'}]}}",
			`{component: Tag, operator: add, value: "0"}`,
			[]string{"replace /spec/containers/0/image app@" + digest64 + "0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			o := overriders(t, "imageOverrider: ["+tt.overrider+"]").ImageOverrider[0]
			ops, err := imagePatch(manifest(t, tt.manifest), &o)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(describeOps(ops)).To(Equal(tt.want))
		})
	}
}

func TestImagePatchErrors(t *testing.T) {
	tests := []struct {
		name      string
		manifest  string
		overrider string
		want      string
	}{
		{"a predicate path to a missing field", deploymentYAML,
			`{predicate: {path: /spec/template/spec/volumes/0/image}, component: Tag, operator: replace, value: v2}`,
			"failed to obtain imageValue with predicate path(/spec/template/spec/volumes/0/image), error: path(volumes) of rawObj's type is not map[string]interface{} and []interface{}"},
		{"a predicate path to a number", deploymentYAML,
			`{predicate: {path: /spec/replicas}, component: Tag, operator: replace, value: v2}`,
			"failed to obtain imageValue with predicate path(/spec/replicas), error: failed to convert path(replicas) to string"},
		{"a predicate index that is not a number", deploymentYAML,
			`{predicate: {path: /spec/template/spec/containers/web/image}, component: Tag, operator: replace, value: v2}`,
			"path(web) of rawObj's is not number"},
		{"a predicate index out of range (Karmada panics)", deploymentYAML,
			`{predicate: {path: /spec/template/spec/containers/5/image}, component: Tag, operator: replace, value: v2}`,
			"index 5 of path(containers) is out of range"},
		{"an image that does not parse", "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: Nginx}]}}",
			`{component: Tag, operator: replace, value: v2}`,
			"failed to parse image value(Nginx), error: repository name must be lowercase"},
		{"a container without an image", "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a}]}}",
			`{component: Tag, operator: replace, value: v2}`,
			"failed to parse image value(), error: repository name must have at least one component"},
		{"a workload that does not convert to its type", "{apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {replicas: three}}",
			`{component: Tag, operator: replace, value: v2}`,
			"failed to convert Deployment from unstructured object"},
		{"an unknown component", podYAML, `{component: Digest, operator: replace, value: v2}`,
			"unsupported image component(Digest)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := overriders(t, "imageOverrider: ["+tt.overrider+"]").ImageOverrider[0]
			_, err := imagePatch(manifest(t, tt.manifest), &o)
			NewWithT(t).Expect(err).To(MatchError(ContainSubstring(tt.want)))
		})
	}
}
