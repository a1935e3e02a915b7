package eviction

import (
	"math"
	"time"
)

// Pacer hands out the taint manager's evictions at a steady rate — Karmada's
// --resource-eviction-rate, the FleetConfig's failover.resourceEvictionRate — so that a
// cluster going down does not move every workload at once onto the survivors. It is a token
// bucket: Rate tokens a second, at most Burst saved up; an eviction spends one. The zero
// Pacer is full. Time is an input, like everything the hub decides with.
type Pacer struct {
	// Rate is evictions per second; zero or less means no pacing.
	Rate float64
	// Burst is how many evictions may be made at once after a quiet spell; less than 1
	// means 1.
	Burst float64

	tokens float64
	at     time.Time
}

// Budget returns how many evictions may be made at now.
func (p *Pacer) Budget(now time.Time) *int {
	if p.Rate <= 0 {
		return nil
	}
	p.refill(now)
	n := int(math.Floor(p.tokens))
	return &n
}

// Spend takes n evictions made at now from the bucket.
func (p *Pacer) Spend(now time.Time, n int) {
	if p.Rate <= 0 || n <= 0 {
		return
	}
	p.refill(now)
	p.tokens = max(0, p.tokens-float64(n))
}

// Next returns when the next eviction may be made, after now.
func (p *Pacer) Next(now time.Time) time.Time {
	if p.Rate <= 0 {
		return now
	}
	p.refill(now)
	if p.tokens >= 1 {
		return now
	}
	return now.Add(time.Duration(math.Ceil((1 - p.tokens) / p.Rate * float64(time.Second))))
}

// refill adds the tokens earned since the last call.
func (p *Pacer) refill(now time.Time) {
	burst := max(1, p.Burst)
	if p.at.IsZero() {
		p.tokens, p.at = burst, now
		return
	}
	if elapsed := now.Sub(p.at).Seconds(); elapsed > 0 {
		p.tokens = min(burst, p.tokens+elapsed*p.Rate)
		p.at = now
	}
}
