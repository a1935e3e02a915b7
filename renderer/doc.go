// Package renderer turns a fleet repository's source tree into what gitfleet renders.
//
// It is pure: it reads only the trees it is handed (as an fs.FS) and never touches the
// clock, the network or global state. This file set covers the first stage, loading: walking
// the source tree, building kustomizations, reading multi-document YAML, classifying objects
// into gitfleet's typed model, applying Karmada's webhook defaulting and validating the result.
package renderer
