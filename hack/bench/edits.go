package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// sourceEdit is one change to a fleet's source tree, the kind a pull request makes.
type sourceEdit struct {
	// scenario names the edit in the report.
	scenario string
	// apply edits the source directory and describes what it changed.
	apply func(sourceDir string) (string, error)
}

// The edits of scenario S2.
var (
	policyWeightsEdit = sourceEdit{
		scenario: "policy weights change",
		apply: func(dir string) (string, error) {
			return editFirstFile(dir, "policies", "staticWeightList:", bumpFirstWeight)
		},
	}
	templateImageEdit = sourceEdit{
		scenario: "template edit (one Deployment's image)",
		apply: func(dir string) (string, error) {
			return editFirstFile(dir, "apps", "kind: Deployment", retagFirstImage)
		},
	}
)

// editFirstFile applies edit to the first YAML file under dir/sub (in lexical order) that
// contains marker, and describes the change as "<file>: <edit's description>".
func editFirstFile(dir, sub, marker string, edit func(string) (string, string, error)) (string, error) {
	var file string
	err := filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || file != "" || filepath.Ext(p) != ".yaml" {
			return err
		}
		data, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(data), marker) {
			file = p
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("looking for a file to edit: %w", err)
	}
	if file == "" {
		return "", fmt.Errorf("no file under %s/%s contains %q", dir, sub, marker)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	edited, what, err := edit(string(data))
	if err != nil {
		return "", fmt.Errorf("%s: %w", file, err)
	}
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		return "", fmt.Errorf("writing %s: %w", file, err)
	}
	rel, _ := filepath.Rel(dir, file)
	return filepath.ToSlash(rel) + ": " + what, nil
}

var (
	weightLine = regexp.MustCompile(`(?m)^(\s+weight: )(\d+)$`)
	imageLine  = regexp.MustCompile(`(?m)^(\s+image: )(\S+)$`)
)

// bumpFirstWeight raises the first static weight of a PropagationPolicy by 5, which changes
// that target's share of every template the policy divides.
func bumpFirstWeight(policy string) (string, string, error) {
	m := weightLine.FindStringSubmatchIndex(policy)
	if m == nil {
		return "", "", errors.New("no static weight")
	}
	old, err := strconv.Atoi(policy[m[4]:m[5]])
	if err != nil {
		return "", "", err
	}
	edited := policy[:m[4]] + strconv.Itoa(old+5) + policy[m[5]:]
	return edited, fmt.Sprintf("first static weight %d → %d", old, old+5), nil
}

// retagFirstImage gives the first container image of a file a new tag.
func retagFirstImage(manifests string) (string, string, error) {
	m := imageLine.FindStringSubmatchIndex(manifests)
	if m == nil {
		return "", "", errors.New("no image")
	}
	old := manifests[m[4]:m[5]]
	repo, _, _ := strings.Cut(old, "@")
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	image := repo + ":9.9.9-bench"
	return manifests[:m[4]] + image + manifests[m[5]:], fmt.Sprintf("image %s → %s", old, image), nil
}
