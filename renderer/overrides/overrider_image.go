package overrides

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// imagePatch builds the patch of one ImageOverrider (semantics §1.2.2): one replace
// operation per rewritten image. Without a predicate every container (not init container)
// image of a Pod, ReplicaSet, Deployment, DaemonSet, StatefulSet or Job is rewritten — the
// kinds are matched by kind only, whatever the group — and other kinds get an empty patch.
// With a predicate only the string at predicate.path is.
func imagePatch(obj *unstructured.Unstructured, o *v1alpha1.ImageOverrider) ([]patchOperation, error) {
	if o.Predicate != nil {
		image, err := imageAtPath(obj.Object, o.Predicate.Path)
		if err != nil {
			return nil, fmt.Errorf("failed to obtain imageValue with predicate path(%s), error: %w", o.Predicate.Path, err)
		}
		op, err := imageOperation(o.Predicate.Path, image, o)
		if err != nil {
			return nil, err
		}
		return []patchOperation{op}, nil
	}
	prefix, containers, err := workloadContainers(obj)
	if err != nil {
		return nil, err
	}
	ops := make([]patchOperation, 0, len(containers))
	for i := range containers {
		op, err := imageOperation(fmt.Sprintf("%s/containers/%d/image", prefix, i), containers[i].Image, o)
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// workloadContainers returns the containers of a workload and the JSON pointer of their pod
// spec. Like Karmada it converts the whole manifest to its typed object first, so a
// manifest that does not convert (a field of the wrong type anywhere) fails the overrider.
func workloadContainers(obj *unstructured.Unstructured) (string, []corev1.Container, error) {
	var (
		typed  any
		prefix = "/spec/template/spec"
		spec   func() *corev1.PodSpec
	)
	switch obj.GetKind() {
	case "Pod":
		pod := &corev1.Pod{}
		typed, prefix, spec = pod, "/spec", func() *corev1.PodSpec { return &pod.Spec }
	case "ReplicaSet":
		rs := &appsv1.ReplicaSet{}
		typed, spec = rs, func() *corev1.PodSpec { return &rs.Spec.Template.Spec }
	case "Deployment":
		d := &appsv1.Deployment{}
		typed, spec = d, func() *corev1.PodSpec { return &d.Spec.Template.Spec }
	case "DaemonSet":
		ds := &appsv1.DaemonSet{}
		typed, spec = ds, func() *corev1.PodSpec { return &ds.Spec.Template.Spec }
	case "StatefulSet":
		sts := &appsv1.StatefulSet{}
		typed, spec = sts, func() *corev1.PodSpec { return &sts.Spec.Template.Spec }
	case "Job":
		job := &batchv1.Job{}
		typed, spec = job, func() *corev1.PodSpec { return &job.Spec.Template.Spec }
	default:
		return "", nil, nil
	}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(obj.Object, typed); err != nil {
		return "", nil, fmt.Errorf("failed to convert %s from unstructured object: %w", obj.GetKind(), err)
	}
	return prefix, spec().Containers, nil
}

// imageAtPath reads the image string a predicate points at, walking the path the way
// Karmada does rather than as a JSON pointer: leading and trailing slashes are trimmed, no
// "~" escape is decoded, and a segment that reaches an array is followed by the index,
// which must name an object. Karmada panics on an index out of range or an element that
// is not an object; here that is an error.
func imageAtPath(obj map[string]any, path string) (string, error) {
	segments := strings.Split(strings.Trim(path, "/"), "/")
	cur := obj
	for i := 0; i < len(segments)-1; i++ {
		switch v := cur[segments[i]].(type) {
		case map[string]any:
			cur = v
		case []any:
			idx, err := strconv.ParseInt(segments[i+1], 10, 32)
			if err != nil {
				return "", fmt.Errorf("path(%s) of rawObj's is not number", segments[i+1])
			}
			if idx < 0 || int(idx) >= len(v) {
				return "", fmt.Errorf("index %d of path(%s) is out of range", idx, segments[i])
			}
			elem, ok := v[idx].(map[string]any)
			if !ok {
				return "", fmt.Errorf("element %d of path(%s) is not an object", idx, segments[i])
			}
			cur = elem
			i++
		default:
			return "", fmt.Errorf("path(%s) of rawObj's type is not map[string]interface{} and []interface{}", segments[i])
		}
	}
	image, ok := cur[segments[len(segments)-1]].(string)
	if !ok {
		return "", fmt.Errorf("failed to convert path(%s) to string", segments[len(segments)-1])
	}
	return image, nil
}

// imageOperation is the replace operation that writes the rewritten image at path.
func imageOperation(path, image string, o *v1alpha1.ImageOverrider) (patchOperation, error) {
	if !strings.HasPrefix(path, "/") {
		return patchOperation{}, fmt.Errorf("imagePath should be start with / character")
	}
	rewritten, err := rewriteImage(image, o)
	if err != nil {
		return patchOperation{}, err
	}
	return patchOperation{op: v1alpha1.OverriderOpReplace, path: path, value: rewritten}, nil
}

// rewriteImage applies the overrider's operator to one component of image (§1.2.2):
//   - Registry: add appends the value to the host as text ("registry.example" + ".test"),
//     replace sets it, remove drops it;
//   - Repository: add appends the value to the repository as text ("app" + "/nginx"),
//     replace sets it, remove empties it (rendering "host/:tag");
//   - Tag: add appends the value to the tag (or digest), replace sets it, both through
//     setTagOrDigest, which ignores a result that is neither a tag nor a digest; remove drops
//     the tag, or the digest when there is no tag.
//
// The image is re-rendered in every case, so a digest next to a tag is lost even when
// nothing else changes. An unknown operator changes nothing else; an unknown component is
// an error.
func rewriteImage(image string, o *v1alpha1.ImageOverrider) (string, error) {
	ref, err := parseImageRef(image)
	if err != nil {
		return "", describeImageError(image, err)
	}
	switch o.Component {
	case v1alpha1.Registry:
		switch o.Operator {
		case v1alpha1.OverriderOpAdd:
			ref.host += o.Value
		case v1alpha1.OverriderOpReplace:
			ref.host = o.Value
		case v1alpha1.OverriderOpRemove:
			ref.host = ""
		}
	case v1alpha1.Repository:
		switch o.Operator {
		case v1alpha1.OverriderOpAdd:
			ref.repository += o.Value
		case v1alpha1.OverriderOpReplace:
			ref.repository = o.Value
		case v1alpha1.OverriderOpRemove:
			ref.repository = ""
		}
	case v1alpha1.Tag:
		switch o.Operator {
		case v1alpha1.OverriderOpAdd:
			ref.setTagOrDigest(ref.tagOrDigest() + o.Value)
		case v1alpha1.OverriderOpReplace:
			ref.setTagOrDigest(o.Value)
		case v1alpha1.OverriderOpRemove:
			ref.removeTagOrDigest()
		}
	default:
		return "", fmt.Errorf("unsupported image component(%s)", o.Component)
	}
	return ref.String(), nil
}
