package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// fleetSize is a fixture of BENCHMARKS.md: the gen-fleet flags that make it.
type fleetSize struct {
	// name is how the report and BENCHMARKS.md call it (F100).
	name      string
	clusters  int
	templates int
	// maxWidth caps placement width (0: unlimited).
	maxWidth int
	// kustomize says whether the kustomize comparator runs at this size (the issue asks for
	// it at F100 only).
	kustomize bool
}

// fleetSizes are the fixtures by flag name.
var fleetSizes = map[string]fleetSize{
	"f100":  {name: "F100", clusters: 100, templates: 2000, kustomize: true},
	"f1000": {name: "F1000", clusters: 1000, templates: 10000, maxWidth: 10},
}

func sizeNames() []string {
	var names []string
	for n := range fleetSizes {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// parseSizes reads -sizes: flag names, comma-separated, in the order given; "" or "none"
// runs no fleet size (the agent scenario alone).
func parseSizes(s string) ([]fleetSize, error) {
	if s = strings.TrimSpace(s); s == "" || strings.EqualFold(s, "none") {
		return nil, nil
	}
	var out []fleetSize
	for _, n := range strings.Split(s, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		size, ok := fleetSizes[n]
		if !ok {
			return nil, fmt.Errorf("-sizes: unknown size %q (known: %s)", n, strings.Join(sizeNames(), ", "))
		}
		out = append(out, size)
	}
	return out, nil
}

// genFleetArgs are the gen-fleet flags of a size.
func (s fleetSize) genFleetArgs(seed uint64) []string {
	args := []string{"--seed", strconv.FormatUint(seed, 10), "--clusters", strconv.Itoa(s.clusters), "--templates", strconv.Itoa(s.templates)}
	if s.maxWidth > 0 {
		args = append(args, "--max-width", strconv.Itoa(s.maxWidth))
	}
	return args
}
