package interpreter

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// The sandbox follows Karmada's luavm (§5.3): the libraries package (preloaded modules only),
// base (without the functions below), table, string (without dump, gsub and rep, and with
// string arguments limited in length), math and a safe os (time and date only), plus the kube
// helper module. Unlike Karmada's it has no I/O at all (print does nothing), no clock unless
// Options.Now gives one, no randomness, and tostring does not print memory addresses, so
// that a script's result depends on its input only.
//
// The instruction budget bounds Lua code, not one library call: a pathological pattern given
// to string.find, or a string doubled with .. in a short loop, can still take long or use
// much memory. Karmada has the same gaps (its timer is also checked between instructions);
// customizations come from the fleet repository and are reviewed like any other code.

// disabledBaseFunctions are the base functions Karmada removes: they load code, reach the
// garbage collector, or bypass metatables and environments.
var disabledBaseFunctions = []string{
	"collectgarbage", "dofile", "getfenv", "getmetatable", "load", "loadfile", "loadstring",
	"rawequal", "rawget", "rawset", "setfenv", "setmetatable", "module", "newproxy",
}

// disabledStringFunctions are the string functions Karmada removes: dump exposes byte code,
// gsub and rep can build huge strings cheaply.
var disabledStringFunctions = []string{"dump", "gsub", "rep"}

// maxStringArgument is the longest string a string-library function accepts, Karmada's limit.
const maxStringArgument = 1_000_000

// newSandbox returns a fresh Lua state with the sandboxed libraries, counting instructions
// against budget.
func newSandbox(budget *instructionBudget, opts Options) *lua.LState {
	L := lua.NewState(lua.Options{
		SkipOpenLibs:        true,
		RegistrySize:        luaRegistryStart,
		RegistryMaxSize:     luaRegistryMax,
		CallStackSize:       luaCallStackMax,
		MinimizeStackMemory: true,
	})
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, openPreloadOnlyPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString},
		{lua.MathLibName, lua.OpenMath},
		{lua.OsLibName, openClockOs(opts.Now)},
	} {
		L.Push(L.NewFunction(lib.open))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	restrictBase(L)
	restrictString(L)
	mathLib := L.GetGlobal(lua.MathLibName).(*lua.LTable)
	for _, name := range []string{"random", "randomseed"} {
		mathLib.RawSetString(name, L.NewFunction(unavailable("math."+name,
			"interpreter results must not depend on chance")))
	}
	preload := L.GetField(L.GetGlobal(lua.LoadLibName), "preload").(*lua.LTable)
	preload.RawSetString(kubeModuleName, L.NewFunction(kubeLoader(opts)))
	L.SetContext(budget)
	return L
}

// unavailable is a function that raises an error explaining why name cannot be called.
func unavailable(name, why string) lua.LGFunction {
	return func(L *lua.LState) int {
		L.RaiseError("%s is not available in gitfleet's Lua sandbox: %s", name, why)
		return 0
	}
}

// openPreloadOnlyPackage opens a package library whose require finds only preloaded
// modules (kube): gopher-lua's would also search package.path on disk.
func openPreloadOnlyPackage(L *lua.LState) int {
	pkg := L.RegisterModule(lua.LoadLibName, map[string]lua.LGFunction{
		"loadlib": unavailable("package.loadlib", "modules cannot be loaded"),
	}).(*lua.LTable)
	preload := L.NewTable()
	pkg.RawSetString("preload", preload)
	loaders := L.NewTable()
	loaders.Append(L.NewFunction(func(L *lua.LState) int {
		name := L.CheckString(1)
		if loader := preload.RawGetString(name); loader != lua.LNil {
			L.Push(loader)
		} else {
			L.Push(lua.LString(fmt.Sprintf("no field package.preload['%s']", name)))
		}
		return 1
	}))
	pkg.RawSetString("loaders", loaders)
	registry := L.Get(lua.RegistryIndex)
	L.SetField(registry, "_LOADERS", loaders)
	// RegisterModule created the registry's _LOADED table; require and package.loaded share it.
	pkg.RawSetString("loaded", L.GetField(registry, "_LOADED"))
	L.Push(pkg)
	return 1
}

// restrictBase removes Karmada's unsafe base functions, silences the ones that print and
// makes tostring deterministic.
func restrictBase(L *lua.LState) {
	for _, name := range disabledBaseFunctions {
		L.SetGlobal(name, L.NewFunction(unavailable(name, "Karmada's sandbox disables it too")))
	}
	// Both write to stdout: print is kept as a no-op for scripts that log, and so is
	// gopher-lua's register dump.
	for _, name := range []string{"print", "_printregs"} {
		L.SetGlobal(name, L.NewFunction(func(*lua.LState) int { return 0 }))
	}
	tostring := L.GetGlobal("tostring").(*lua.LFunction).GFunction
	L.SetGlobal("tostring", L.NewFunction(func(L *lua.LState) int {
		if name, ok := referenceTypeName(L.CheckAny(1)); ok {
			L.Push(lua.LString(name))
			return 1
		}
		return tostring(L)
	}))
}

// referenceTypeName is the type name of values whose default string is a memory address
// ("table: 0xc000123456"); such strings would make results differ between runs.
func referenceTypeName(v lua.LValue) (string, bool) {
	switch v.Type() {
	case lua.LTTable, lua.LTFunction, lua.LTUserData, lua.LTThread, lua.LTChannel:
		return v.Type().String(), true
	}
	return "", false
}

// restrictString removes Karmada's unsafe string functions and wraps the others so that they
// reject over-long string arguments; string.format prints reference values by type name.
func restrictString(L *lua.LState) {
	mod := L.GetGlobal(lua.StringLibName).(*lua.LTable)
	var names []string
	mod.ForEach(func(k, v lua.LValue) {
		if fn, ok := v.(*lua.LFunction); ok && fn.IsG {
			names = append(names, k.String())
		}
	})
	for _, name := range names {
		fn := mod.RawGetString(name).(*lua.LFunction)
		orig := fn.GFunction
		// gmatch is a closure over its iterator: the wrapper keeps its upvalues.
		upvalues := make([]lua.LValue, len(fn.Upvalues))
		for i, uv := range fn.Upvalues {
			upvalues[i] = uv.Value()
		}
		wrapped := L.NewClosure(func(L *lua.LState) int {
			for n := 1; n <= L.GetTop(); n++ {
				v := L.Get(n)
				if s, ok := v.(lua.LString); ok && len(s) > maxStringArgument {
					L.RaiseError("string.%s: argument #%d is %d bytes long, more than the %d allowed",
						name, n, len(s), maxStringArgument)
				}
				if name == "format" && n > 1 {
					if t, ok := referenceTypeName(v); ok {
						L.Replace(n, lua.LString(t))
					}
				}
			}
			return orig(L)
		}, upvalues...)
		mod.RawSetString(name, wrapped)
	}
	for _, name := range disabledStringFunctions {
		mod.RawSetString(name, L.NewFunction(unavailable("string."+name, "Karmada's sandbox disables it too")))
	}
	// "gfind" is gopher-lua's old alias of gmatch.
	mod.RawSetString("gfind", mod.RawGetString("gmatch"))
}

// openClockOs opens an os library with only time and date, reading now for the current time.
// Karmada's safe os has the same two functions; here the clock is injected (nil means none)
// and local time is UTC, so a script's result never depends on the machine.
func openClockOs(now func() time.Time) lua.LGFunction {
	current := func(L *lua.LState, fn string) time.Time {
		if now == nil {
			L.RaiseError("os.%s needs the current time, and the interpreter has no clock: pass a time", fn)
		}
		return now().UTC()
	}
	return func(L *lua.LState) int {
		mod := L.RegisterModule(lua.OsLibName, map[string]lua.LGFunction{
			"time": func(L *lua.LState) int {
				if L.GetTop() == 0 {
					L.Push(lua.LNumber(current(L, "time").Unix()))
					return 1
				}
				t := L.CheckTable(1)
				field := func(key string, def int) int {
					if n, ok := t.RawGetString(key).(lua.LNumber); ok {
						return int(n)
					}
					return def
				}
				// Karmada's defaults: noon, and -1 for a missing date part.
				d := time.Date(field("year", -1), time.Month(field("month", -1)), field("day", -1),
					field("hour", 12), field("min", 0), field("sec", 0), 0, time.UTC)
				L.Push(lua.LNumber(d.Unix()))
				return 1
			},
			"date": func(L *lua.LState) int {
				format := strings.TrimPrefix(L.OptString(1, "%c"), "!")
				var t time.Time
				if L.GetTop() >= 2 {
					t = time.Unix(L.CheckInt64(2), 0).UTC()
				} else {
					t = current(L, "date")
				}
				if strings.HasPrefix(format, "*t") {
					tbl := L.NewTable()
					for _, f := range []struct {
						key   string
						value int
					}{
						{"year", t.Year()}, {"month", int(t.Month())}, {"day", t.Day()},
						{"hour", t.Hour()}, {"min", t.Minute()}, {"sec", t.Second()},
						{"wday", int(t.Weekday()) + 1}, {"yday", t.YearDay()},
					} {
						tbl.RawSetString(f.key, lua.LNumber(f.value))
					}
					tbl.RawSetString("isdst", lua.LFalse)
					L.Push(tbl)
					return 1
				}
				L.Push(lua.LString(strftime(t, format)))
				return 1
			},
		})
		L.Push(mod)
		return 1
	}
}

// strftime formats t with C's strftime conversions in the C locale; unknown conversions are
// copied as written.
func strftime(t time.Time, format string) string {
	layouts := map[byte]string{
		'a': "Mon", 'A': "Monday", 'b': "Jan", 'h': "Jan", 'B': "January",
		'c': "Mon Jan _2 15:04:05 2006", 'd': "02", 'D': "01/02/06", 'e': "_2", 'F': "2006-01-02",
		'H': "15", 'I': "03", 'm': "01", 'M': "04", 'p': "PM", 'S': "05", 'T': "15:04:05",
		'x': "01/02/06", 'X': "15:04:05", 'y': "06", 'Y': "2006", 'z': "-0700", 'Z': "MST",
	}
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		switch conv := format[i]; conv {
		case '%':
			b.WriteByte('%')
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case 'w':
			b.WriteString(strconv.Itoa(int(t.Weekday())))
		default:
			if layout, ok := layouts[conv]; ok {
				b.WriteString(t.Format(layout))
			} else {
				b.WriteByte('%')
				b.WriteByte(conv)
			}
		}
	}
	return b.String()
}
