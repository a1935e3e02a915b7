package devcluster

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// modulePath is the module whose bin/ directory holds the tool binaries by default.
const modulePath = "github.com/gitfleet/gitfleet"

// assetsEnv names the directory of control-plane binaries, as controller-runtime's envtest
// reads it.
const assetsEnv = "KUBEBUILDER_ASSETS"

// kwokStagesDir is the directory, inside the binary directory, of the kwok Stage files that
// drive fake nodes and pods (hack/tools/tools.mk, KWOK_STAGES).
const kwokStagesDir = "kwok-stages"

// ErrBinaryMissing is matched (errors.Is) by every error about a tool binary that is not there.
var ErrBinaryMissing = errors.New("cluster tool binary missing")

// MissingBinaryError reports tool binaries that were not found. It matches ErrBinaryMissing.
type MissingBinaryError struct {
	// Names are the missing binaries' file names, such as kube-apiserver.
	Names []string
	// Dir is the directory they were looked for in.
	Dir string
}

// Error names the binaries, where they were looked for, and how to build them.
func (e *MissingBinaryError) Error() string {
	return fmt.Sprintf("%s not found in %s: run `make tools` to build the cluster tool binaries "+
		"(or point Options.BinDir or $%s at a directory holding them)", strings.Join(e.Names, ", "), e.Dir, assetsEnv)
}

// Is makes errors.Is(err, ErrBinaryMissing) true.
func (e *MissingBinaryError) Is(target error) bool { return target == ErrBinaryMissing }

// CheckBinaries reports whether the binaries a fleet with these options needs are there: nil,
// or an error matching ErrBinaryMissing that names what is missing and says to run
// `make tools`.
func CheckBinaries(opts Options) error {
	_, err := resolveBinaries(opts.BinDir, opts.Workloads)
	return err
}

// binaries are the resolved paths of the tools a fleet runs.
type binaries struct {
	etcd, apiServer, controllerManager, scheduler, kwok string
	// kwokStages are the kwok Stage files passed with --config.
	kwokStages []string
}

// resolveBinaries finds the binaries a fleet with these options needs, in dir or, when dir is
// empty, in the default directory.
func resolveBinaries(dir string, workloads bool) (binaries, error) {
	if dir == "" {
		var err error
		if dir, err = DefaultBinDir(); err != nil {
			return binaries{}, err
		}
	}
	var b binaries
	var missing []string
	need := func(dst *string, name string) {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
			missing = append(missing, name)
			return
		}
		*dst = p
	}
	need(&b.etcd, "etcd")
	need(&b.apiServer, "kube-apiserver")
	if workloads {
		need(&b.controllerManager, "kube-controller-manager")
		need(&b.scheduler, "kube-scheduler")
		need(&b.kwok, "kwok")
		stages, _ := filepath.Glob(filepath.Join(dir, kwokStagesDir, "*.yaml"))
		if len(stages) == 0 {
			missing = append(missing, kwokStagesDir+"/*.yaml")
		}
		b.kwokStages = stages
	}
	if len(missing) > 0 {
		return binaries{}, &MissingBinaryError{Names: missing, Dir: dir}
	}
	return b, nil
}

// DefaultBinDir is where the tool binaries are looked for when Options.BinDir is empty:
// $KUBEBUILDER_ASSETS when set, else the bin/ directory of the gitfleet module that contains the
// working directory, else the directory of the running executable (bin/gitfleet sits next to
// the tools).
func DefaultBinDir() (string, error) {
	if dir := os.Getenv(assetsEnv); dir != "" {
		return dir, nil
	}
	if wd, err := os.Getwd(); err == nil {
		if root, ok := findModuleRoot(wd); ok {
			return filepath.Join(root, "bin"), nil
		}
	}
	if exe, err := os.Executable(); err == nil {
		dir := filepath.Dir(exe)
		if _, err := os.Stat(filepath.Join(dir, "kube-apiserver")); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%w: cannot tell where the cluster tool binaries are: not inside the %s "+
		"module and $%s is not set; run `make tools` in the repository and set Options.BinDir "+
		"(gitfleet dev: --bin-dir) to its bin/ directory", ErrBinaryMissing, modulePath, assetsEnv)
}

// findModuleRoot walks up from dir to the directory whose go.mod declares the gitfleet module.
func findModuleRoot(dir string) (string, bool) {
	for {
		if declaresModule(filepath.Join(dir, "go.mod")) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func declaresModule(goMod string) bool {
	f, err := os.Open(goMod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`) == modulePath
		}
	}
	return false
}
