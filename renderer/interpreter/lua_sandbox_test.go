package interpreter

import (
	"errors"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// evalHealth runs a health script on a ConfigMap and returns its error, or nil when it
// returned true. Scripts under test end with "return true" once they got through.
func evalHealth(t *testing.T, opts Options, body string) error {
	t.Helper()
	ric := newRIC(t, "sandbox", "v1", "ConfigMap",
		"healthInterpretation:\n  luaScript: |\n    function InterpretHealth(obj)\n"+indent(body, "      ")+"    end")
	healthy, err := newInterpreterWith(t, opts, ric).InterpretHealth(object(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {b: '2', a: '1', c: '3'}"))
	if err == nil && !healthy {
		t.Fatalf("the script returned false")
	}
	return err
}

func TestSandboxRefusesUnsafeFunctions(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"no io library", "return io.open('/etc/passwd') ~= nil", "attempt to index a non-table object(nil) with key 'open'"},
		{"no os.execute", "return os.execute('true')", "attempt to call a non-function object"},
		{"no os.exit", "os.exit(1)", "attempt to call a non-function object"},
		{"no os.getenv", "return os.getenv('HOME')", "attempt to call a non-function object"},
		{"no debug library", "return debug.getinfo(1)", "attempt to index a non-table object(nil) with key 'getinfo'"},
		{"require finds no files", "return require('io')", "module io not found"},
		{"no package.loadlib", "return package.loadlib('x', 'y')", "package.loadlib is not available"},
		{"no dofile", "return dofile('/etc/passwd')", "dofile is not available"},
		{"no loadstring", "return loadstring('return 1')()", "loadstring is not available"},
		{"no load", "return load(function() return nil end)", "load is not available"},
		{"no setmetatable", "return setmetatable({}, {})", "setmetatable is not available"},
		{"no rawset", "return rawset({}, 'a', 1)", "rawset is not available"},
		{"no collectgarbage", "return collectgarbage()", "collectgarbage is not available"},
		{"no string.rep", "return string.rep('x', 10) ~= ''", "string.rep is not available"},
		{"no string.gsub", "return ('x'):gsub('x', 'y') ~= ''", "string.gsub is not available"},
		{"no string.dump", "return string.dump(print)", "string.dump is not available"},
		{"no randomness", "return math.random() < 2", "math.random is not available"},
		{"no clock", "return os.time() > 0", "os.time needs the current time, and the interpreter has no clock"},
		{"no clock for os.date", "return os.date('%Y') ~= ''", "os.date needs the current time"},
		{"no coroutines", "return coroutine.create(print)", "attempt to index a non-table object(nil) with key 'create'"},
		{"long strings are refused", "local s = 'xxxxxxxxxx' for i = 1, 17 do s = s .. s end return s:upper() ~= ''", "string.upper: argument #1 is 1310720 bytes long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			NewWithT(t).Expect(evalHealth(t, DefaultOptions(), tt.body)).To(MatchError(ContainSubstring(tt.want)))
		})
	}
}

func TestSandboxAllowsSafeLibraries(t *testing.T) {
	opts := DefaultOptions()
	opts.Now = func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) }
	tests := []struct{ name, body string }{
		{"string functions", "assert(string.format('%s-%d', 'a', 3) == 'a-3') assert(('Ab'):lower() == 'ab') assert(string.find('abc', 'b') == 2) return true"},
		{"gmatch keeps working through the wrapper", "local n = 0 for w in string.gmatch('a b c', '%a') do n = n + 1 end assert(n == 3) return true"},
		{"table and math", "local t = {3, 1, 2} table.sort(t) assert(table.concat(t, ',') == '1,2,3') assert(math.max(1, 5) == 5 and math.floor(2.5) == 2) return true"},
		{"pcall and error", "local ok, err = pcall(function() error('boom', 0) end) assert(not ok and err == 'boom', err) return true"},
		{"print does nothing", "print('hello') return true"},
		{"tostring and string.format print no addresses", "assert(tostring({}) == 'table') assert(tostring(print) == 'function') assert(string.format('%s', {}) == 'table') assert(tostring(1.5) == '1.5') return true"},
		{"pairs visits keys in sorted order", "local ks = '' for k in pairs(obj.data) do ks = ks .. k end assert(ks == 'abc', ks) return true"},
		{"os.time and os.date with the injected clock, in UTC", "assert(os.date('!%Y-%m-%dT%H:%M:%SZ') == '2026-03-04T05:06:07Z') assert(os.time() == 1772600767) return true"},
		{"os.time of a date table and os.date of a time need no clock", "assert(os.time({year = 2026, month = 3, day = 4, hour = 5, min = 6, sec = 7}) == 1772600767) assert(os.date('%F %T', 0) == '1970-01-01 00:00:00') assert(os.date('*t', 86400).day == 2) return true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			NewWithT(t).Expect(evalHealth(t, opts, tt.body)).To(Succeed())
		})
	}
}

func TestSandboxStopsEndlessLoops(t *testing.T) {
	opts := DefaultOptions()
	opts.InstructionBudget = 100_000
	tests := []struct{ name, body string }{
		{"a loop", "while true do end"},
		{"a loop that keeps catching the error", "while true do pcall(function() while true do end end) end"},
		{"a loop over a Go function", "while true do table.sort({3, 2, 1}) end"},
		{"a comparator that never returns", "table.sort({3, 2, 1}, function(a, b) while true do end end) return true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			err := evalHealth(t, opts, tt.body)
			g.Expect(errors.Is(err, ErrBudgetExhausted)).To(BeTrue(), "%v", err)
			g.Expect(err).To(MatchError(ContainSubstring("after 100000 instructions at sandbox/healthInterpretation:")))
		})
	}
}

func TestSandboxCallsAreIndependent(t *testing.T) {
	// Karmada's scripts commonly assign globals; a pooled state would carry them over.
	g := NewWithT(t)
	i := newInterpreter(t, newRIC(t, "counter", "apps/v1", "Deployment", `
replicaResource:
  luaScript: |
    function GetReplicas(obj)
      calls = (calls or 0) + 1
      string.upper = nil
      return calls
    end`))
	for range 3 {
		replicas, _, err := i.GetReplicas(object(t, limitedDeployment))
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(replicas).To(Equal(int32(1)))
	}
}

func TestStrftime(t *testing.T) {
	at := time.Date(2026, 1, 9, 15, 4, 5, 0, time.UTC)
	got := strftime(at, "%a %A %b %B %d %e %H %I %j %m %M %p %S %w %y %Y %Z %% %q")
	want := "Fri Friday Jan January 09  9 15 03 009 01 04 PM 05 5 26 2026 UTC % %q"
	NewWithT(t).Expect(got).To(Equal(want))
	NewWithT(t).Expect(strings.TrimSpace(strftime(at, "%c"))).To(Equal("Fri Jan  9 15:04:05 2026"))
}

func TestInterpreterIsSafeForConcurrentUse(t *testing.T) {
	// Run with -race: compiled prototypes are shared, Lua states are not.
	i := newInterpreter(t, newRIC(t, "deploy", "apps/v1", "Deployment", `
replicaResource:
  luaScript: |
    local kube = require("kube")
    function GetReplicas(obj)
      return obj.spec.replicas, kube.accuratePodRequirements(obj.spec.template)
    end`))
	obj := object(t, limitedDeployment)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 20 {
				replicas, requirements, err := i.GetReplicas(obj)
				if err == nil && (replicas != 1 || requirements == nil) {
					err = errors.New("wrong result")
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		NewWithT(t).Expect(<-errs).To(Succeed())
	}
}
