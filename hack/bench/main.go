// Command bench measures gitfleet against the benchmark fixtures of BENCHMARKS.md and prints
// a markdown report (also written to <workdir>/report.md): per fleet size, a cold full render
// and commit (S1), re-renders after one policy's weights change and after one template edit
// checked against an independent full render (S2), for F100 `kubectl kustomize` over one
// overlay per cluster as the comparator, and PASS/MISS against the bars and the
// targets; with -agent, a Pull cluster's agent applying 1,000 objects and then idling.
//
// Every measured step is a subprocess: wall time, user+sys CPU and peak RSS come from its
// rusage. Run it from the repository root after `make build`:
//
//	go run ./hack/bench -sizes f100,f1000
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// config is what the flags say.
type config struct {
	// workDir holds one directory per fleet size (fixture, Git repository, overlays) and
	// report.md.
	workDir string
	// gitfleet is the binary measured.
	gitfleet string
	// kubectl runs the comparator; empty when it is not installed (comparator skipped).
	kubectl string
	seed    uint64
	sizes   []fleetSize
	// kustomizeClusters limits the comparator to that many clusters, extrapolating linearly
	// (0: every cluster).
	kustomizeClusters int
	// agent runs the agent scenario: a Pull cluster's agent applying 1,000 objects, then idle.
	agent bool
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (config, error) {
	var (
		cfg     config
		sizes   string
		kubectl string
	)
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&cfg.workDir, "workdir", "bin/_bench", "directory for fixtures, repositories and report.md (a name starting with _ keeps go ./... from walking its ~100k files)")
	fs.StringVar(&cfg.gitfleet, "gitfleet", "bin/gitfleet", "the gitfleet binary to measure (make build)")
	fs.StringVar(&kubectl, "kubectl", "kubectl", "kubectl for the kustomize comparator; skipped when not found")
	fs.Uint64Var(&cfg.seed, "seed", 1, "gen-fleet seed")
	fs.StringVar(&sizes, "sizes", "f100,f1000", "fleet sizes to run, comma-separated: "+strings.Join(sizeNames(), ",")+` ("" or none: no size)`)
	fs.IntVar(&cfg.kustomizeClusters, "kustomize-clusters", 0, "run the kustomize comparator on this many clusters and extrapolate linearly (0: all)")
	fs.BoolVar(&cfg.agent, "agent", true, "run the agent scenario: gitfleet dev up one Pull cluster, measure the agent's 1,000-object apply and its idle RSS and CPU")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if cfg.sizes, err = parseSizes(sizes); err != nil {
		return cfg, err
	}
	if cfg.kustomizeClusters < 0 {
		return cfg, fmt.Errorf("-kustomize-clusters %d: must not be negative", cfg.kustomizeClusters)
	}
	if cfg.gitfleet, err = filepath.Abs(cfg.gitfleet); err != nil {
		return cfg, err
	}
	if _, err := os.Stat(cfg.gitfleet); err != nil {
		return cfg, fmt.Errorf("the gitfleet binary: %w (run make build)", err)
	}
	if cfg.workDir, err = filepath.Abs(cfg.workDir); err != nil {
		return cfg, err
	}
	cfg.kubectl, _ = exec.LookPath(kubectl) // absent: the comparator is reported as skipped
	return cfg, nil
}

// run measures every size and writes the report.
func run(cfg config) error {
	if err := os.MkdirAll(cfg.workDir, 0o755); err != nil {
		return fmt.Errorf("creating the work directory: %w", err)
	}
	rep := newReport(cfg)
	fmt.Printf("uptime: %s\n", rep.uptimeStart)
	for _, size := range cfg.sizes {
		res, err := benchSize(cfg, size)
		if err != nil {
			return fmt.Errorf("%s: %w", size.name, err)
		}
		rep.sizes = append(rep.sizes, res)
	}
	if cfg.agent {
		res, err := benchAgent(cfg)
		if err != nil {
			return fmt.Errorf("agent: %w", err)
		}
		rep.agent = res
	}
	rep.uptimeEnd = uptime()
	md := rep.markdown()
	fmt.Print(md)
	file := filepath.Join(cfg.workDir, "report.md")
	if err := os.WriteFile(file, []byte(md), 0o644); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	logf("report written to %s", file)
	return nil
}

// logf prints progress to stderr, keeping stdout for the report.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// uptime is the output of uptime(1), or why there is none.
func uptime() string {
	out, err := exec.Command("uptime").Output()
	if err != nil {
		return "unavailable: " + err.Error()
	}
	return strings.TrimSpace(string(out))
}
