package overrides

import (
	"fmt"
	"testing"

	. "github.com/onsi/gomega"
)

const (
	commandWorkloadYAML = `
apiVersion: apps/v1
kind: %s
metadata: {name: nginx}
spec:
  template:
    spec:
      containers:
      - {name: nginx, image: nginx, command: [nginx, -v, -t], args: [nginx, -v, -t]}
`
	twoNginxContainersYAML = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx}
spec:
  template:
    spec:
      initContainers:
      - {name: nginx, image: busybox, command: [sh]}
      containers:
      - {name: nginx, command: [nginx, -v, -t]}
      - {name: nginx1, command: [nginx, -v, -t]}
      - {name: nginx, image: nginx}
`
)

// The cases of Karmada's TestParseJSONPatchesByCommandOverrider and
// TestParseJSONPatchesByArgsOverrider, and what they leave out (semantics §1.2.2).
func TestCommandArgsPatch(t *testing.T) {
	deployment := fmt.Sprintf(commandWorkloadYAML, "Deployment")
	tests := []struct {
		name      string
		manifest  string
		target    string
		overrider string
		want      []string
	}{
		{"add appends", deployment, "command", `{containerName: nginx, operator: add, value: ["&& echo 'hello karmada'"]}`,
			[]string{"replace /spec/template/spec/containers/0/command [nginx -v -t && echo 'hello karmada']"}},
		{"remove drops every equal element", deployment, "command", `{containerName: nginx, operator: remove, value: [-t]}`,
			[]string{"replace /spec/template/spec/containers/0/command [nginx -v]"}},
		{"remove with no values still writes the list", deployment, "command", `{containerName: nginx, operator: remove, value: []}`,
			[]string{"replace /spec/template/spec/containers/0/command [nginx -v -t]"}},
		{"args add", deployment, "args", `{containerName: nginx, operator: add, value: [--x]}`,
			[]string{"replace /spec/template/spec/containers/0/args [nginx -v -t --x]"}},
		{"args remove", deployment, "args", `{containerName: nginx, operator: remove, value: [-v, nginx]}`,
			[]string{"replace /spec/template/spec/containers/0/args [-t]"}},
		{"Pod", "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: nginx, command: [nginx, -v, -t]}]}}",
			"command", `{containerName: nginx, operator: add, value: ["echo 'hello karmada'"]}`,
			[]string{"replace /spec/containers/0/command [nginx -v -t echo 'hello karmada']"}},
		{"StatefulSet", fmt.Sprintf(commandWorkloadYAML, "StatefulSet"), "command", `{containerName: nginx, operator: add, value: [x]}`,
			[]string{"replace /spec/template/spec/containers/0/command [nginx -v -t x]"}},
		{"ReplicaSet", fmt.Sprintf(commandWorkloadYAML, "ReplicaSet"), "command", `{containerName: nginx, operator: remove, value: [-t]}`,
			[]string{"replace /spec/template/spec/containers/0/command [nginx -v]"}},
		{"DaemonSet", fmt.Sprintf(commandWorkloadYAML, "DaemonSet"), "command", `{containerName: nginx, operator: remove, value: [-t]}`,
			[]string{"replace /spec/template/spec/containers/0/command [nginx -v]"}},
		{"Job", fmt.Sprintf(commandWorkloadYAML, "Job"), "args", `{containerName: nginx, operator: add, value: [x]}`,
			[]string{"replace /spec/template/spec/containers/0/args [nginx -v -t x]"}},
		{"CronJob is left alone", fmt.Sprintf(commandWorkloadYAML, "CronJob"), "command", `{containerName: nginx, operator: add, value: [x]}`,
			nil},

		// Several containers may carry the name; init containers are never touched.
		{"every container with the name, no init container", twoNginxContainersYAML, "command",
			`{containerName: nginx, operator: add, value: [--x]}`,
			[]string{
				"replace /spec/template/spec/containers/0/command [nginx -v -t --x]",
				"add /spec/template/spec/containers/2/command [--x]",
			}},
		{"remove on a container without the field adds an empty list", twoNginxContainersYAML, "command",
			`{containerName: nginx, operator: remove, value: [-t]}`,
			[]string{
				"replace /spec/template/spec/containers/0/command [nginx -v]",
				"add /spec/template/spec/containers/2/command []",
			}},
		{"a null field counts as missing", "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, args: null}]}}",
			"args", `{containerName: a, operator: add, value: [x]}`, []string{"add /spec/containers/0/args [x]"}},
		{"no container with the name", deployment, "command", `{containerName: other, operator: add, value: [x]}`, nil},
		{"a workload without containers", "{apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {replicas: 1}}",
			"command", `{containerName: a, operator: add, value: [x]}`, nil},
		// Karmada reads elements with %s, so a number turns into fmt's error text.
		{"non-string elements are read with %s", "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, args: [1]}]}}",
			"args", `{containerName: a, operator: add, value: [x]}`, []string{"replace /spec/containers/0/args [%!s(int64=1) x]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			o := overriders(t, "commandOverrider: ["+tt.overrider+"]").CommandOverrider[0]
			ops, err := commandArgsPatch(manifest(t, tt.manifest), tt.target, &o)
			g.Expect(err).NotTo(HaveOccurred())
			if tt.want == nil {
				g.Expect(ops).To(BeEmpty())
				return
			}
			g.Expect(describeOps(ops)).To(Equal(tt.want))
		})
	}
}

func TestCommandArgsPatchErrors(t *testing.T) {
	tests := []struct {
		name, manifest, want string
	}{
		{"containers that are not a list", "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: {name: a}}}",
			"spec/containers is of the type map[string]interface {}, expected []interface{}"},
		{"null containers", "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: null}}",
			"spec/containers is of the type <nil>, expected []interface{}"},
		{"a container that is not an object (Karmada panics)", "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [a]}}",
			"spec/containers[0] is of the type string, expected map[string]interface{}"},
		{"a command that is not a list (Karmada panics)", "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, command: sh}]}}",
			"spec/containers[0].command is of the type string, expected []interface{}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := overriders(t, "commandOverrider: [{containerName: a, operator: add, value: [x]}]").CommandOverrider[0]
			_, err := commandArgsPatch(manifest(t, tt.manifest), "command", &o)
			NewWithT(t).Expect(err).To(MatchError(ContainSubstring(tt.want)))
		})
	}
}
