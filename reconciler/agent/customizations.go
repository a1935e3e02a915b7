package agent

import (
	"bytes"
	"errors"
	"io/fs"

	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/renderer/interpreter"
)

// loadCustomizations switches the agent's interpreter to the ResourceInterpreterCustomizations
// the applied render carries in the cluster's directory, when they changed; a render without
// them means the built-in rules. Customizations that cannot be read are logged and the
// interpreter kept: health is then judged as before, never by a rule set half read.
func (a *Agent) loadCustomizations(rendered *gitstore.Snapshot) {
	p := v1alpha1.ExecutionSpacePrefix + a.opts.Cluster + "/" + v1alpha1.ClusterInterpreterFileName
	data, err := fs.ReadFile(rendered.FS, p)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		a.opts.Log.Warn("reading the interpreter customizations", "file", p, "error", err)
		return
	}
	if bytes.Equal(data, a.customizations) {
		return
	}
	var list v1alpha1.ResourceInterpreterCustomizationList
	if len(data) > 0 {
		if err := yaml.Unmarshal(data, &list); err != nil {
			a.opts.Log.Warn("ignoring the interpreter customizations", "file", p, "error", err)
			return
		}
	}
	customizations := make([]*v1alpha1.ResourceInterpreterCustomization, len(list.Items))
	for i := range list.Items {
		customizations[i] = &list.Items[i]
	}
	interp, err := interpreter.New(customizations)
	if err != nil {
		a.opts.Log.Warn("ignoring the interpreter customizations", "file", p, "error", err)
		return
	}
	a.interp, a.customizations = interp, data
	a.opts.Log.Info("interpreter customizations loaded", "cluster", a.opts.Cluster, "customizations", len(customizations))
}
