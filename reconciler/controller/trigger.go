package controller

// Trigger asks Run for a cycle now instead of at the next tick. Requests coalesce: however
// many arrive while a cycle runs, one more cycle follows it, which sees every push they
// announced.
type Trigger struct {
	c chan struct{}
}

// NewTrigger returns a Trigger with no pending request.
func NewTrigger() *Trigger {
	return &Trigger{c: make(chan struct{}, 1)}
}

// Fire requests a cycle; it never blocks.
func (t *Trigger) Fire() {
	select {
	case t.c <- struct{}{}:
	default: // a cycle is already pending
	}
}

// C delivers the pending requests; nil (never ready) for a nil Trigger.
func (t *Trigger) C() <-chan struct{} {
	if t == nil {
		return nil
	}
	return t.c
}
