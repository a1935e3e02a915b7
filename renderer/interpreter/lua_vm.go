package interpreter

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// ErrBudgetExhausted is returned (wrapped) when a customization's script executes more Lua
// instructions than Options.InstructionBudget allows: most likely an endless loop.
var ErrBudgetExhausted = errors.New("Lua instruction budget exhausted")

// Lua state limits. They are Karmada's — gopher-lua's default sizes (lua.RegistrySize,
// lua.CallStackSize), copied as constants because gopher-lua keeps them in variables — so a
// script that runs in Karmada runs here. The value stack starts small and grows up to the
// limit, because every call gets a fresh state.
const (
	luaRegistryStart = 256
	luaRegistryMax   = 256 * 20
	luaCallStackMax  = 256
)

// instructionBudget is the context of a sandboxed Lua state. gopher-lua polls its context's
// Done channel before every VM instruction, which makes Done an instruction counter: after
// the budget is spent it returns a closed channel, and the VM raises Err as a Lua error. No
// timer is involved, so whether a script finishes never depends on the machine's load.
type instructionBudget struct {
	remaining int64
	limit     int64
	spent     chan struct{}
}

func newInstructionBudget(limit int64) *instructionBudget {
	return &instructionBudget{remaining: limit, limit: limit, spent: make(chan struct{})}
}

// Done counts one instruction; it returns nil (never ready) while the budget lasts.
func (b *instructionBudget) Done() <-chan struct{} {
	if b.remaining > 0 {
		b.remaining--
		return nil
	}
	if b.remaining == 0 {
		b.remaining = -1
		close(b.spent)
	}
	return b.spent
}

// Err is ErrBudgetExhausted once the budget is spent.
func (b *instructionBudget) Err() error {
	if b.exhausted() {
		return ErrBudgetExhausted
	}
	return nil
}

func (b *instructionBudget) exhausted() bool             { return b.remaining < 0 }
func (b *instructionBudget) Deadline() (time.Time, bool) { return time.Time{}, false }
func (b *instructionBudget) Value(any) any               { return nil }

var _ context.Context = (*instructionBudget)(nil)

// call runs one script in a fresh sandbox: the chunk first (it defines the function), then
// the function with args converted to Lua, and hands the nret results to convert while the
// state is alive. A fresh state per call keeps calls independent — scripts commonly assign
// globals, which would leak from one object to the next in a reused state — and the
// compiled prototype makes that cheap.
func (i *Interpreter) call(s *script, nret int, args []any, convert func(L *lua.LState, rets []lua.LValue) error) error {
	budget := newInstructionBudget(i.opts.InstructionBudget)
	L := newSandbox(budget, i.opts)
	defer L.Close()

	L.Push(L.NewFunctionFromProto(s.proto))
	if err := L.PCall(0, 0, nil); err != nil {
		return fmt.Errorf("%s: %w", s.location(), luaError(err, budget))
	}
	fn := L.GetGlobal(s.function)
	switch fn.Type() {
	case lua.LTFunction:
	case lua.LTNil:
		return fmt.Errorf("%s: the script defines no function %s", s.location(), s.function)
	default:
		return fmt.Errorf("%s: %s is a %s, not a function", s.location(), s.function, fn.Type())
	}
	largs := make([]lua.LValue, len(args))
	for n, a := range args {
		v, err := goToLua(L, a)
		if err != nil {
			return fmt.Errorf("%s: argument %d of %s: %w", s.location(), n+1, s.function, err)
		}
		largs[n] = v
	}
	base := L.GetTop()
	if err := L.CallByParam(lua.P{Fn: fn, NRet: nret, Protect: true}, largs...); err != nil {
		return fmt.Errorf("%s: %w", s.location(), luaError(err, budget))
	}
	rets := make([]lua.LValue, nret)
	for n := range rets {
		rets[n] = L.Get(base + n + 1)
	}
	if err := convert(L, rets); err != nil {
		return fmt.Errorf("%s: the result of %s: %w", s.location(), s.function, err)
	}
	return nil
}

// luaError turns an error of a protected Lua call into a Go error: ErrBudgetExhausted
// (wrapped, with where the script was stopped) when the budget ran out, otherwise the Lua
// error message ("<customization>/<field>:<line>: ...") without gopher-lua's stack trace,
// which lists only its own frames.
func luaError(err error, budget *instructionBudget) error {
	msg := err.Error()
	var apiErr *lua.ApiError
	if errors.As(err, &apiErr) && apiErr.Object != nil {
		msg = apiErr.Object.String()
	}
	if budget.exhausted() {
		where := strings.TrimSuffix(msg, ": "+budget.Err().Error())
		return fmt.Errorf("%w after %d instructions at %s (an endless loop?)", ErrBudgetExhausted, budget.limit, where)
	}
	return errors.New(msg)
}

// location names a script's customization in errors; the operation is named by the caller,
// and Lua's own messages name the rule ("<customization>/<field>:<line>: ...").
func (s *script) location() string {
	return fmt.Sprintf("ResourceInterpreterCustomization %q", s.customization)
}
