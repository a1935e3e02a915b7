package scheduler

import "github.com/gitfleet/gitfleet/api/v1alpha1"

// groupScoreUnit makes a group's replica count dominate its average cluster score (0..100)
// when groups are compared: a score is count*groupScoreUnit + average (Karmada's weightUnit,
// §2.3 calcGroupScore).
const groupScoreUnit int64 = 1000

// groupScore scores a group of clusters (a region) for selectGroups, as Karmada's
// calcGroupScore does (§2.3). members are the group's candidates in compareCandidates order;
// minGroups is the group's own spread constraint minGroups (the region's).
//
// Duplicated placements (including no placement or no replicaScheduling) count the members
// that can each run spec.replicas, then add the average score of those members; a group
// where none can scores 0.
//
// Divided placements look for target = ceil(spec.replicas / minGroups) replicas: members are
// taken in order until at least max(minGroups, cluster minGroups) of them are taken and they
// can run target replicas together. A group that reaches the target scores
// target*unit + their average score; one that does not scores (all its available
// replicas)*unit + the average score of all its members.
//
// spec.replicas is used as is, also for multi-template workloads. minGroups below 1 only
// occurs without defaulting; it is read as 1, where Karmada's float division by zero gives a
// platform-dependent result.
func groupScore(members []candidate, spec *v1alpha1.ResourceBindingSpec, minGroups int) int64 {
	replicas := int64(spec.Replicas)
	if spec.Placement == nil || spec.Placement.ReplicaSchedulingType() == v1alpha1.ReplicaSchedulingTypeDuplicated {
		var valid, sumScore int64
		for _, c := range members {
			if c.available >= replicas {
				valid++
				sumScore += c.score
			}
		}
		if valid == 0 {
			return 0
		}
		return valid*groupScoreUnit + sumScore/valid
	}

	minGroups = max(minGroups, 1)
	// Integer ceiling; equal to Karmada's float64 math.Ceil for every int32 replica count.
	target := (replicas + int64(minGroups) - 1) / int64(minGroups)
	need := int64(minGroups)
	if sc, ok := lastSpreadConstraint(spec.Placement.SpreadConstraints, v1alpha1.SpreadByFieldCluster); ok {
		need = max(need, int64(sc.MinGroups))
	}

	var sumAvailable, sumScore, taken int64
	for _, c := range members {
		sumAvailable += c.available
		sumScore += c.score
		taken++
		if taken >= need && sumAvailable >= target {
			break
		}
	}
	if len(members) == 0 {
		return 0
	}
	if sumAvailable < target {
		return sumAvailable*groupScoreUnit + sumScore/int64(len(members))
	}
	return target*groupScoreUnit + sumScore/taken
}
