package interpreter

import (
	"testing"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func TestDivideJobCompletions(t *testing.T) {
	divided := &v1alpha1.Placement{ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType: v1alpha1.ReplicaSchedulingTypeDivided}}
	duplicated := &v1alpha1.Placement{ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType: v1alpha1.ReplicaSchedulingTypeDuplicated}}
	targets := []v1alpha1.TargetCluster{{Name: "east", Replicas: 3}, {Name: "west", Replicas: 1}}
	job := "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, uid: 4858ca61}\nspec: {parallelism: 4, completions: 10}"

	t.Run("divided: completions spread with the replicas as weights and the Job's UID", func(t *testing.T) {
		g := NewWithT(t)
		got, err := DivideJobCompletions(object(t, job), 4, divided, targets)
		g.Expect(err).NotTo(HaveOccurred())
		// Webster over 10 seats at 3:1: ties (east 1 vs west 1 at seat 2, 1/3 vs 1/3 at
		// seat 6, 0.2 vs 0.2 at seat 10) go to the party with fewer seats, west.
		g.Expect(got).To(Equal(map[string]int32{"east": 7, "west": 3}))
	})

	notDivided := []struct {
		name      string
		manifest  string
		replicas  int32
		placement *v1alpha1.Placement
	}{
		{"duplicated", job, 4, duplicated},
		{"no placement", job, 4, nil},
		{"binding without replicas", job, 0, divided},
		{"a work-queue Job without completions", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {parallelism: 4}", 4, divided},
		{"not a Job", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {completions: 4}", 4, divided},
	}
	for _, tt := range notDivided {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			got, err := DivideJobCompletions(object(t, tt.manifest), tt.replicas, tt.placement, targets)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got).To(BeNil())
		})
	}

	t.Run("a Job kind of another group counts, as in Karmada", func(t *testing.T) {
		got, err := DivideJobCompletions(object(t, "apiVersion: example.io/v1\nkind: Job\nmetadata: {name: j}\nspec: {completions: 1}"),
			1, divided, targets[:1])
		NewWithT(t).Expect(err).NotTo(HaveOccurred())
		NewWithT(t).Expect(got).To(Equal(map[string]int32{"east": 1}))
	})

	t.Run("weights summing to zero divide nothing", func(t *testing.T) {
		got, err := DivideJobCompletions(object(t, job), 4, divided, []v1alpha1.TargetCluster{{Name: "east"}, {Name: "west"}})
		NewWithT(t).Expect(err).NotTo(HaveOccurred())
		NewWithT(t).Expect(got).To(BeNil())
	})

	t.Run("completions that are not an integer", func(t *testing.T) {
		_, err := DivideJobCompletions(object(t, "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {completions: ten}"),
			4, divided, targets)
		NewWithT(t).Expect(err).To(MatchError(ContainSubstring("spec.completions of batch/v1 Job j")))
	})
}

func TestReviseJobCompletions(t *testing.T) {
	g := NewWithT(t)
	job := object(t, "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {parallelism: 4, completions: 10}")
	division := map[string]int32{"east": 8, "west": 2}

	revised, err := ReviseJobCompletions(job, "west", division)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(revised.Object["spec"]).To(Equal(map[string]any{"parallelism": int64(4), "completions": int64(2)}))
	g.Expect(job.Object["spec"]).To(HaveKeyWithValue("completions", int64(10)), "the input is not modified")

	kept, err := ReviseJobCompletions(job, "west", nil)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(kept.Object).To(Equal(job.Object))

	_, err = ReviseJobCompletions(job, "north", division)
	g.Expect(err).To(MatchError("no completions found for cluster north"))
}
