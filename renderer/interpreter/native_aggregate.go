package interpreter

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// nativeAggregateStatus is Karmada's native AggregateStatus for its thirteen kinds (§5.2,
// aggregatestatus.go): it folds the members' reflected statuses into a copy of the template's
// status. handled is false for any other kind. When the folded status equals the template's,
// the copy is returned unchanged.
//
// now stamps the conditions a Job's aggregation adds; nil leaves their times out, so that
// the result depends on the inputs only.
func nativeAggregateStatus(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem, now func() time.Time) (handled bool, out *unstructured.Unstructured, err error) {
	switch obj.GroupVersionKind() {
	case deploymentGVK:
		out, err = aggregateDeployment(obj, items)
	case replicaSetGVK:
		out, err = aggregateReplicaSet(obj, items)
	case daemonSetGVK:
		out, err = aggregateDaemonSet(obj, items)
	case statefulSetGVK:
		out, err = aggregateStatefulSet(obj, items)
	case serviceGVK:
		out, err = aggregateService(obj, items)
	case ingressGVK:
		out, err = aggregateIngress(obj, items)
	case jobGVK:
		out, err = aggregateJob(obj, items, now)
	case cronJobGVK:
		out, err = aggregateCronJob(obj, items)
	case podGVK:
		out, err = aggregatePod(obj, items)
	case pvGVK:
		out, err = aggregatePersistentVolume(obj, items)
	case pvcGVK:
		out, err = aggregatePersistentVolumeClaim(obj, items)
	case pdbGVK:
		out, err = aggregatePodDisruptionBudget(obj, items)
	case hpaGVK:
		out, err = aggregateHorizontalPodAutoscaler(obj, items)
	default:
		return false, nil, nil
	}
	return true, out, err
}

// memberStatuses decodes the reflected status of every item that has one into a new S and
// calls fold with it. Items without a status (not applied, or not collected yet) are
// skipped.
func memberStatuses[S any](items []v1alpha1.AggregatedStatusItem, fold func(item *v1alpha1.AggregatedStatusItem, st *S)) error {
	for n := range items {
		item := &items[n]
		raw := itemStatus(item)
		if raw == nil {
			continue
		}
		st := new(S)
		if err := json.Unmarshal(raw, st); err != nil {
			return fmt.Errorf("status of cluster %s: %w", item.ClusterName, err)
		}
		fold(item, st)
	}
	return nil
}

// itemStatus returns an item's reflected status, nil when it has none.
func itemStatus(item *v1alpha1.AggregatedStatusItem) []byte {
	if item.Status == nil || len(item.Status.Raw) == 0 {
		return nil
	}
	return item.Status.Raw
}

// latestGeneration is Karmada's rule for a workload's aggregated observedGeneration: the
// template's generation once every item — those without a status included, so any of them
// blocks it — reports a member that has observed its own generation and was rendered from
// the template's current generation; otherwise the template keeps the one it had.
type latestGeneration struct {
	items, current int
}

// observe counts one member that has caught up.
func (l *latestGeneration) observe(caughtUp bool) {
	if caughtUp {
		l.current++
	}
}

// value returns the aggregated observedGeneration.
func (l *latestGeneration) value(old, template int64) int64 {
	if l.current == l.items {
		return template
	}
	return old
}

func aggregateDeployment(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	d, err := typed[appsv1.Deployment](obj)
	if err != nil {
		return nil, err
	}
	var sum appsv1.DeploymentStatus
	gen := latestGeneration{items: len(items)}
	err = memberStatuses(items, func(_ *v1alpha1.AggregatedStatusItem, m *deploymentMemberStatus) {
		gen.observe(m.ObservedGeneration >= m.Generation && m.ResourceTemplateGeneration >= d.Generation)
		sum.Replicas += m.Replicas
		sum.ReadyReplicas += m.ReadyReplicas
		sum.UpdatedReplicas += m.UpdatedReplicas
		sum.AvailableReplicas += m.AvailableReplicas
		sum.UnavailableReplicas += m.UnavailableReplicas
	})
	if err != nil {
		return nil, err
	}
	st := d.Status
	st.ObservedGeneration = gen.value(st.ObservedGeneration, d.Generation)
	st.Replicas, st.ReadyReplicas, st.UpdatedReplicas = sum.Replicas, sum.ReadyReplicas, sum.UpdatedReplicas
	st.AvailableReplicas, st.UnavailableReplicas = sum.AvailableReplicas, sum.UnavailableReplicas
	return withStatus(obj, &d.Status, &st)
}

func aggregateReplicaSet(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	rs, err := typed[appsv1.ReplicaSet](obj)
	if err != nil {
		return nil, err
	}
	var sum appsv1.ReplicaSetStatus
	gen := latestGeneration{items: len(items)}
	err = memberStatuses(items, func(_ *v1alpha1.AggregatedStatusItem, m *replicaSetMemberStatus) {
		gen.observe(m.ObservedGeneration >= m.Generation && m.ResourceTemplateGeneration >= rs.Generation)
		sum.Replicas += m.Replicas
		sum.ReadyReplicas += m.ReadyReplicas
		sum.AvailableReplicas += m.AvailableReplicas
	})
	if err != nil {
		return nil, err
	}
	st := rs.Status
	st.ObservedGeneration = gen.value(st.ObservedGeneration, rs.Generation)
	st.Replicas, st.ReadyReplicas, st.AvailableReplicas = sum.Replicas, sum.ReadyReplicas, sum.AvailableReplicas
	return withStatus(obj, &rs.Status, &st)
}

func aggregateDaemonSet(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	ds, err := typed[appsv1.DaemonSet](obj)
	if err != nil {
		return nil, err
	}
	var sum appsv1.DaemonSetStatus
	gen := latestGeneration{items: len(items)}
	err = memberStatuses(items, func(_ *v1alpha1.AggregatedStatusItem, m *daemonSetMemberStatus) {
		gen.observe(m.ObservedGeneration >= m.Generation && m.ResourceTemplateGeneration >= ds.Generation)
		sum.CurrentNumberScheduled += m.CurrentNumberScheduled
		sum.DesiredNumberScheduled += m.DesiredNumberScheduled
		sum.NumberAvailable += m.NumberAvailable
		sum.NumberMisscheduled += m.NumberMisscheduled
		sum.NumberReady += m.NumberReady
		sum.UpdatedNumberScheduled += m.UpdatedNumberScheduled
		sum.NumberUnavailable += m.NumberUnavailable
	})
	if err != nil {
		return nil, err
	}
	st := ds.Status
	st.ObservedGeneration = gen.value(st.ObservedGeneration, ds.Generation)
	st.CurrentNumberScheduled, st.DesiredNumberScheduled = sum.CurrentNumberScheduled, sum.DesiredNumberScheduled
	st.NumberAvailable, st.NumberMisscheduled, st.NumberReady = sum.NumberAvailable, sum.NumberMisscheduled, sum.NumberReady
	st.UpdatedNumberScheduled, st.NumberUnavailable = sum.UpdatedNumberScheduled, sum.NumberUnavailable
	return withStatus(obj, &ds.Status, &st)
}

func aggregateStatefulSet(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	sts, err := typed[appsv1.StatefulSet](obj)
	if err != nil {
		return nil, err
	}
	var sum appsv1.StatefulSetStatus
	gen := latestGeneration{items: len(items)}
	err = memberStatuses(items, func(_ *v1alpha1.AggregatedStatusItem, m *statefulSetMemberStatus) {
		// Karmada's quirk: the template generation is compared with the member's own
		// generation, not the template's (and the reflected status has no
		// observedGeneration, so the first half holds whenever generation is unset).
		gen.observe(m.ObservedGeneration >= m.Generation && m.ResourceTemplateGeneration >= m.Generation)
		sum.AvailableReplicas += m.AvailableReplicas
		sum.CurrentReplicas += m.CurrentReplicas
		sum.ReadyReplicas += m.ReadyReplicas
		sum.Replicas += m.Replicas
		sum.UpdatedReplicas += m.UpdatedReplicas
	})
	if err != nil {
		return nil, err
	}
	st := sts.Status
	st.ObservedGeneration = gen.value(st.ObservedGeneration, sts.Generation)
	st.AvailableReplicas, st.CurrentReplicas, st.ReadyReplicas = sum.AvailableReplicas, sum.CurrentReplicas, sum.ReadyReplicas
	st.Replicas, st.UpdatedReplicas = sum.Replicas, sum.UpdatedReplicas
	return withStatus(obj, &sts.Status, &st)
}

func aggregateService(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	svc, err := typed[corev1.Service](obj)
	if err != nil {
		return nil, err
	}
	if svc.Spec.Type != corev1.ServiceTypeLoadBalancer {
		return obj.DeepCopy(), nil
	}
	var ingress []corev1.LoadBalancerIngress
	err = memberStatuses(items, func(_ *v1alpha1.AggregatedStatusItem, m *corev1.ServiceStatus) {
		ingress = append(ingress, m.LoadBalancer.Ingress...)
	})
	if err != nil {
		return nil, err
	}
	st := corev1.ServiceStatus{LoadBalancer: corev1.LoadBalancerStatus{Ingress: dedupeServiceIngress(ingress)}}
	return withStatus(obj, &svc.Status, &st)
}

func aggregateIngress(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	ing, err := typed[networkingv1.Ingress](obj)
	if err != nil {
		return nil, err
	}
	var ingress []networkingv1.IngressLoadBalancerIngress
	err = memberStatuses(items, func(_ *v1alpha1.AggregatedStatusItem, m *networkingv1.IngressStatus) {
		ingress = append(ingress, m.LoadBalancer.Ingress...)
	})
	if err != nil {
		return nil, err
	}
	st := networkingv1.IngressStatus{LoadBalancer: networkingv1.IngressLoadBalancerStatus{Ingress: dedupeIngressIngress(ingress)}}
	return withStatus(obj, &ing.Status, &st)
}

// Job condition reasons and messages Karmada's aggregation writes.
const (
	jobFailedReason              = "JobFailed"
	jobFailedMessage             = "Job executed failed in member clusters %s"
	jobCompletedReason           = "Completed"
	jobCompletedMessage          = "Job completed"
	jobCompletionsReachedReason  = "CompletionsReached"
	jobCompletionsReachedMessage = "All member clusters have met success criteria"
)

func aggregateJob(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem, now func() time.Time) (*unstructured.Unstructured, error) {
	job, err := typed[batchv1.Job](obj)
	if err != nil {
		return nil, err
	}
	// A finished Job's status is final.
	if finished, _ := jobFinished(&job.Status); finished {
		return obj.DeepCopy(), nil
	}
	var (
		st                              batchv1.JobStatus
		failed                          []string
		completed, criteriaMet          int
		started, finishedAt             int
		earliestStart, latestCompletion *metav1.Time
	)
	err = memberStatuses(items, func(item *v1alpha1.AggregatedStatusItem, m *batchv1.JobStatus) {
		st.Active += m.Active
		st.Succeeded += m.Succeeded
		st.Failed += m.Failed
		switch _, how := jobFinished(m); how {
		case batchv1.JobComplete:
			completed++
		case batchv1.JobFailed:
			failed = append(failed, item.ClusterName)
		}
		if slices.ContainsFunc(m.Conditions, func(c batchv1.JobCondition) bool {
			return c.Type == batchv1.JobSuccessCriteriaMet && c.Status == corev1.ConditionTrue
		}) {
			criteriaMet++
		}
		if m.StartTime != nil {
			started++
			if earliestStart == nil || m.StartTime.Before(earliestStart) {
				earliestStart = m.StartTime
			}
		}
		if m.CompletionTime != nil {
			finishedAt++
			if latestCompletion == nil || latestCompletion.Before(m.CompletionTime) {
				latestCompletion = m.CompletionTime
			}
		}
	})
	if err != nil {
		return nil, err
	}
	condition := func(t batchv1.JobConditionType, reason, message string) batchv1.JobCondition {
		c := batchv1.JobCondition{Type: t, Status: corev1.ConditionTrue, Reason: reason, Message: message}
		if now != nil {
			c.LastProbeTime = metav1.NewTime(now())
			c.LastTransitionTime = c.LastProbeTime
		}
		return c
	}
	if len(failed) > 0 {
		st.Conditions = append(st.Conditions, condition(batchv1.JobFailed, jobFailedReason,
			fmt.Sprintf(jobFailedMessage, strings.Join(failed, ","))))
	}
	// Every item counts, those without a status too: a Job is complete only when it is
	// complete everywhere it runs.
	if completed > 0 && completed == len(items) {
		st.Conditions = append(st.Conditions, condition(batchv1.JobComplete, jobCompletedReason, jobCompletedMessage))
		if criteriaMet == len(items) {
			st.Conditions = append(st.Conditions, condition(batchv1.JobSuccessCriteriaMet,
				jobCompletionsReachedReason, jobCompletionsReachedMessage))
		}
	}
	st.StartTime = job.Status.StartTime
	if st.StartTime == nil && started > 0 && started == len(items) {
		st.StartTime = earliestStart.DeepCopy()
	}
	if latestCompletion != nil && finishedAt == len(items) {
		st.CompletionTime = latestCompletion.DeepCopy()
	}
	return withStatus(obj, &job.Status, &st)
}

// jobFinished reports whether a Job has a Complete or Failed condition that is True, and
// which.
func jobFinished(st *batchv1.JobStatus) (bool, batchv1.JobConditionType) {
	for _, c := range st.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return true, c.Type
		}
	}
	return false, ""
}

func aggregateCronJob(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	cj, err := typed[batchv1.CronJob](obj)
	if err != nil {
		return nil, err
	}
	var st batchv1.CronJobStatus
	err = memberStatuses(items, func(_ *v1alpha1.AggregatedStatusItem, m *batchv1.CronJobStatus) {
		st.Active = append(st.Active, m.Active...)
		st.LastScheduleTime = laterTime(st.LastScheduleTime, m.LastScheduleTime)
		st.LastSuccessfulTime = laterTime(st.LastSuccessfulTime, m.LastSuccessfulTime)
	})
	if err != nil {
		return nil, err
	}
	return withStatus(obj, &cj.Status, &st)
}

// laterTime returns the later of two optional times.
func laterTime(a, b *metav1.Time) *metav1.Time {
	if a == nil || (b != nil && a.Before(b)) {
		return b
	}
	return a
}

func aggregatePod(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	pod, err := typed[corev1.Pod](obj)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return obj.DeepCopy(), nil
	}
	var st corev1.PodStatus
	phases := map[corev1.PodPhase]bool{}
	for n := range items {
		if itemStatus(&items[n]) == nil {
			// Not collected yet: counted as Pending, so it holds the phase back.
			phases[corev1.PodPending] = true
		}
	}
	// Only what a container's state says is kept: the rest (ids, images, restart counts)
	// differs per cluster and means nothing summed up.
	keep := func(statuses []corev1.ContainerStatus) []corev1.ContainerStatus {
		out := make([]corev1.ContainerStatus, len(statuses))
		for n, c := range statuses {
			out[n] = corev1.ContainerStatus{Ready: c.Ready, State: c.State}
		}
		return out
	}
	err = memberStatuses(items, func(_ *v1alpha1.AggregatedStatusItem, m *corev1.PodStatus) {
		phases[m.Phase] = true
		st.ContainerStatuses = append(st.ContainerStatuses, keep(m.ContainerStatuses)...)
		st.InitContainerStatuses = append(st.InitContainerStatuses, keep(m.InitContainerStatuses)...)
	})
	if err != nil {
		return nil, err
	}
	// Unknown is left out, as in Karmada: it has been deprecated since 2015.
	for _, p := range []corev1.PodPhase{corev1.PodFailed, corev1.PodPending, corev1.PodRunning, corev1.PodSucceeded} {
		if phases[p] {
			st.Phase = p
			break
		}
	}
	return withStatus(obj, &pod.Status, &st)
}

func aggregatePersistentVolume(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	pv, err := typed[corev1.PersistentVolume](obj)
	if err != nil {
		return nil, err
	}
	phases := map[corev1.PersistentVolumePhase]bool{}
	for n := range items {
		if itemStatus(&items[n]) == nil {
			phases[corev1.VolumePending] = true
		}
	}
	err = memberStatuses(items, func(_ *v1alpha1.AggregatedStatusItem, m *corev1.PersistentVolumeStatus) {
		phases[m.Phase] = true
	})
	if err != nil {
		return nil, err
	}
	var st corev1.PersistentVolumeStatus
	for _, p := range []corev1.PersistentVolumePhase{corev1.VolumeFailed, corev1.VolumePending, corev1.VolumeAvailable,
		corev1.VolumeBound, corev1.VolumeReleased} {
		if phases[p] {
			st.Phase = p
			break
		}
	}
	return withStatus(obj, &pv.Status, &st)
}

func aggregatePersistentVolumeClaim(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	pvc, err := typed[corev1.PersistentVolumeClaim](obj)
	if err != nil {
		return nil, err
	}
	st := corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimBound}
	for n := range items {
		raw := itemStatus(&items[n])
		if raw == nil {
			continue
		}
		var m corev1.PersistentVolumeClaimStatus
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("status of cluster %s: %w", items[n].ClusterName, err)
		}
		// Lost anywhere is final; otherwise the last phase that is not Bound wins.
		if m.Phase == corev1.ClaimLost {
			st.Phase = corev1.ClaimLost
			break
		}
		if m.Phase != corev1.ClaimBound {
			st.Phase = m.Phase
		}
	}
	return withStatus(obj, &pvc.Status, &st)
}

func aggregatePodDisruptionBudget(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	pdb, err := typed[policyv1.PodDisruptionBudget](obj)
	if err != nil {
		return nil, err
	}
	st := policyv1.PodDisruptionBudgetStatus{DisruptedPods: map[string]metav1.Time{}}
	err = memberStatuses(items, func(item *v1alpha1.AggregatedStatusItem, m *policyv1.PodDisruptionBudgetStatus) {
		st.CurrentHealthy += m.CurrentHealthy
		st.DesiredHealthy += m.DesiredHealthy
		st.ExpectedPods += m.ExpectedPods
		st.DisruptionsAllowed += m.DisruptionsAllowed
		for pod, at := range m.DisruptedPods {
			st.DisruptedPods[item.ClusterName+"/"+pod] = at
		}
	})
	if err != nil {
		return nil, err
	}
	return withStatus(obj, &pdb.Status, &st)
}

func aggregateHorizontalPodAutoscaler(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	hpa, err := typed[autoscalingv2.HorizontalPodAutoscaler](obj)
	if err != nil {
		return nil, err
	}
	var st autoscalingv2.HorizontalPodAutoscalerStatus
	err = memberStatuses(items, func(_ *v1alpha1.AggregatedStatusItem, m *autoscalingv2.HorizontalPodAutoscalerStatus) {
		st.CurrentReplicas += m.CurrentReplicas
		st.DesiredReplicas += m.DesiredReplicas
	})
	if err != nil {
		return nil, err
	}
	return withStatus(obj, &hpa.Status, &st)
}

// withStatus returns a copy of obj with its status replaced by next — or unchanged when
// next equals old, the template's current status, so that an aggregation that changes
// nothing writes nothing. Times a rule leaves unset are left out instead of written as null.
func withStatus[S any](obj *unstructured.Unstructured, old, next *S) (*unstructured.Unstructured, error) {
	out := obj.DeepCopy()
	if equality.Semantic.DeepEqual(old, next) {
		return out, nil
	}
	status, err := runtime.DefaultUnstructuredConverter.ToUnstructured(next)
	if err != nil {
		return nil, fmt.Errorf("encoding the status: %w", err)
	}
	out.Object["status"] = dropNulls(status)
	return out, nil
}

// dropNulls removes the null values a typed status converts its zero times to.
func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e == nil {
				delete(v, k)
				continue
			}
			v[k] = dropNulls(e)
		}
	case []any:
		for n, e := range v {
			v[n] = dropNulls(e)
		}
	}
	return v
}

// dedupeServiceIngress merges the LoadBalancer addresses of all members as Karmada does
// (helper.DedupeAndSortServiceLoadBalancerIngress): one entry per hostname, IP and IP mode,
// with the union of their port statuses sorted by port, protocol and error (none first);
// entries sorted by hostname (entries without one last), IP, then IP mode (entries
// without one last).
func dedupeServiceIngress(in []corev1.LoadBalancerIngress) []corev1.LoadBalancerIngress {
	type key struct {
		hostname, ip string
		mode         corev1.LoadBalancerIPMode
		hasMode      bool
	}
	merged := map[key]*corev1.LoadBalancerIngress{}
	order := []key{}
	for _, ing := range in {
		k := key{hostname: ing.Hostname, ip: ing.IP}
		if ing.IPMode != nil {
			k.mode, k.hasMode = *ing.IPMode, true
		}
		m := merged[k]
		if m == nil {
			m = ing.DeepCopy()
			m.Ports = nil
			merged[k] = m
			order = append(order, k)
		}
		for _, p := range ing.Ports {
			m.Ports = appendPortStatus(m.Ports, p)
		}
	}
	out := make([]corev1.LoadBalancerIngress, 0, len(merged))
	for _, k := range order {
		m := merged[k]
		slices.SortFunc(m.Ports, func(a, b corev1.PortStatus) int {
			return cmp.Or(cmp.Compare(a.Port, b.Port), cmp.Compare(a.Protocol, b.Protocol), compareErrors(a.Error, b.Error))
		})
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b corev1.LoadBalancerIngress) int {
		return cmp.Or(compareHostnames(a.Hostname, b.Hostname), cmp.Compare(a.IP, b.IP), compareIPModes(a.IPMode, b.IPMode))
	})
	return out
}

// dedupeIngressIngress is dedupeServiceIngress for an Ingress's addresses
// (helper.DedupeAndSortIngressLoadBalancerIngress), which have no IP mode.
func dedupeIngressIngress(in []networkingv1.IngressLoadBalancerIngress) []networkingv1.IngressLoadBalancerIngress {
	type key struct{ hostname, ip string }
	merged := map[key]*networkingv1.IngressLoadBalancerIngress{}
	order := []key{}
	for _, ing := range in {
		k := key{hostname: ing.Hostname, ip: ing.IP}
		m := merged[k]
		if m == nil {
			m = ing.DeepCopy()
			m.Ports = nil
			merged[k] = m
			order = append(order, k)
		}
		for _, p := range ing.Ports {
			if !slices.ContainsFunc(m.Ports, func(q networkingv1.IngressPortStatus) bool {
				return q.Port == p.Port && q.Protocol == p.Protocol && equalErrors(q.Error, p.Error)
			}) {
				m.Ports = append(m.Ports, *p.DeepCopy())
			}
		}
	}
	out := make([]networkingv1.IngressLoadBalancerIngress, 0, len(merged))
	for _, k := range order {
		m := merged[k]
		slices.SortFunc(m.Ports, func(a, b networkingv1.IngressPortStatus) int {
			return cmp.Or(cmp.Compare(a.Port, b.Port), cmp.Compare(a.Protocol, b.Protocol), compareErrors(a.Error, b.Error))
		})
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b networkingv1.IngressLoadBalancerIngress) int {
		return cmp.Or(compareHostnames(a.Hostname, b.Hostname), cmp.Compare(a.IP, b.IP))
	})
	return out
}

// appendPortStatus adds a port status unless an equal one is there already.
func appendPortStatus(ports []corev1.PortStatus, p corev1.PortStatus) []corev1.PortStatus {
	if slices.ContainsFunc(ports, func(q corev1.PortStatus) bool {
		return q.Port == p.Port && q.Protocol == p.Protocol && equalErrors(q.Error, p.Error)
	}) {
		return ports
	}
	return append(ports, *p.DeepCopy())
}

// compareHostnames orders hostnames, the empty one last.
func compareHostnames(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	return cmp.Compare(a, b)
}

// compareIPModes orders IP modes, an unset one last.
func compareIPModes(a, b *corev1.LoadBalancerIPMode) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*a, *b)
}

// compareErrors orders optional port errors, none first.
func compareErrors(a, b *string) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return cmp.Compare(*a, *b)
}

// equalErrors reports whether two optional port errors are the same.
func equalErrors(a, b *string) bool {
	return compareErrors(a, b) == 0
}
