package overrides

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
)

const (
	digest64  = "sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c"
	digest64b = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c"
)

// The cases of Karmada's pkg/util/imageparser TestParse, plus the shapes its grammar
// (distribution/reference) admits that those do not cover. Every valid reference without
// both a tag and a digest renders back to itself.
func TestParseImageRef(t *testing.T) {
	tests := []struct {
		name  string
		image string
		want  imageRef
	}{
		// Karmada's table.
		{"a bare name", "pause", imageRef{repository: "pause"}},
		{"a repository with a sub-path and a tag", "subpath/imagename:v1.0.0", imageRef{repository: "subpath/imagename", tag: "v1.0.0"}},
		{"a registry host", "fictional.registry.example/imagename:v1.0.0",
			imageRef{host: "fictional.registry.example", repository: "imagename", tag: "v1.0.0"}},
		{"a registry host with a port", "fictional.registry.example:10443/subpath/imagename:v1.0.0",
			imageRef{host: "fictional.registry.example:10443", repository: "subpath/imagename", tag: "v1.0.0"}},
		{"a digest", "fictional.registry.example:10443/subpath/imagename@" + digest64,
			imageRef{host: "fictional.registry.example:10443", repository: "subpath/imagename", digest: digest64}},

		// Karmada's host rule: the first component is a host only with "." or ":" or as localhost.
		{"localhost is a host", "localhost/app:1", imageRef{host: "localhost", repository: "app", tag: "1"}},
		{"localhost with a port", "localhost:5000/app", imageRef{host: "localhost:5000", repository: "app"}},
		{"an IP and port", "10.10.10.10:10443/subpath/imagename", imageRef{host: "10.10.10.10:10443", repository: "subpath/imagename"}},
		{"an IPv6 host", "[::1]:5000/app:v2", imageRef{host: "[::1]:5000", repository: "app", tag: "v2"}},
		{"an upper-case host", "Registry.Example/app", imageRef{host: "Registry.Example", repository: "app"}},
		{"a first component without a dot is a path, not a host", "library/nginx:1.25",
			imageRef{repository: "library/nginx", tag: "1.25"}},
		{"a number after a colon with no slash is a tag", "nginx:5000", imageRef{repository: "nginx", tag: "5000"}},
		{"a dotted first component is a host", "a.b/c", imageRef{host: "a.b", repository: "c"}},
		{"separators inside path components", "x/c__d/e---f_g.h:1", imageRef{repository: "x/c__d/e---f_g.h", tag: "1"}},
		{"a tag of 128 characters", "app:" + strings.Repeat("t", 128), imageRef{repository: "app", tag: strings.Repeat("t", 128)}},
		{"sha512 digest", "app@sha512:" + strings.Repeat("ab", 64), imageRef{repository: "app", digest: "sha512:" + strings.Repeat("ab", 64)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			got, err := parseImageRef(tt.image)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got).To(Equal(tt.want))
			g.Expect(got.String()).To(Equal(tt.image))
		})
	}
}

// A reference with a tag and a digest keeps only the tag: rewriting it drops the digest
// (semantics §1.2.2, quirk).
func TestParseImageRefTagAndDigest(t *testing.T) {
	g := NewWithT(t)
	got, err := parseImageRef("registry.example/app:v1@" + digest64)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(got).To(Equal(imageRef{host: "registry.example", repository: "app", tag: "v1"}))
	g.Expect(got.String()).To(Equal("registry.example/app:v1"))
}

func TestParseImageRefErrors(t *testing.T) {
	tests := []struct {
		name, image, want string
	}{
		{"empty", "", "repository name must have at least one component"},
		{"upper-case repository", "registry.example/App:v1", "repository name must be lowercase"},
		{"a trailing colon", "app:", "invalid reference format"},
		{"two colons after the last slash", "app:v1:v2", "invalid reference format"},
		{"a path component ending in a separator", "app-/x", "invalid reference format"},
		{"a double dot", "a..b", "invalid reference format"},
		{"a tag that starts with a dot", "app:.v1", "invalid reference format"},
		{"a tag of 129 characters", "app:" + strings.Repeat("t", 129), "invalid reference format"},
		{"a port that is not a number", "host:port/app", "invalid reference format"},
		{"a repository path over 255 characters", "registry.example/" + strings.Repeat("a", 256),
			"repository name must not be more than 255 characters"},
		{"a short digest", "app@sha256:abc", "invalid reference format"},
		{"a digest of the wrong length", "app@sha256:" + strings.Repeat("a", 32), "invalid checksum digest length"},
		{"an upper-case sha256 digest", "app@sha256:" + strings.Repeat("A", 64), "invalid checksum digest format"},
		{"an unknown digest algorithm", "app@md5:" + strings.Repeat("a", 32), "unsupported digest algorithm"},
		{"an unknown algorithm go-digest cannot even read", "app@MD5:" + strings.Repeat("a", 32), "invalid checksum digest format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseImageRef(tt.image)
			NewWithT(t).Expect(err).To(MatchError(tt.want))
		})
	}
}

// Karmada's TestSplitHostname table.
func TestSplitImageHost(t *testing.T) {
	tests := []struct {
		name, input, host, repository string
	}{
		{"empty image got nothing", "", "", ""},
		{"simple repository", "imagename", "", "imagename"},
		{"repository with sub-path", "subpath/imagename", "", "subpath/imagename"},
		{"canonical image", "fictional.registry.example/subpath/imagename", "fictional.registry.example", "subpath/imagename"},
		{"hostname with port", "fictional.registry.example:10443/subpath/imagename", "fictional.registry.example:10443", "subpath/imagename"},
		{"hostname with IP", "10.10.10.10:10443/subpath/imagename", "10.10.10.10:10443", "subpath/imagename"},
		{"localhost", "localhost/imagename", "localhost", "imagename"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			host, repository := splitImageHost(tt.input)
			g.Expect(host).To(Equal(tt.host))
			g.Expect(repository).To(Equal(tt.repository))
		})
	}
}

// The sequences of Karmada's imageparser examples (ExampleComponents_*).
func TestImageRefEdits(t *testing.T) {
	g := NewWithT(t)

	ref, err := parseImageRef("imagename:v1.0.0")
	g.Expect(err).NotTo(HaveOccurred())
	ref.host = "fictional.registry.example"
	g.Expect(ref.String()).To(Equal("fictional.registry.example/imagename:v1.0.0"))
	ref.host = "gcr.io"
	g.Expect(ref.String()).To(Equal("gcr.io/imagename:v1.0.0"))
	ref.host = ""
	g.Expect(ref.String()).To(Equal("imagename:v1.0.0"))

	ref, err = parseImageRef("gcr.io/kube-apiserver")
	g.Expect(err).NotTo(HaveOccurred())
	ref.setTagOrDigest("v1.19.0")
	g.Expect(ref.String()).To(Equal("gcr.io/kube-apiserver:v1.19.0"))
	ref.removeTagOrDigest()
	g.Expect(ref.String()).To(Equal("gcr.io/kube-apiserver"))
	ref.setTagOrDigest(digest64)
	g.Expect(ref.String()).To(Equal("gcr.io/kube-apiserver@" + digest64))
	ref.removeTagOrDigest()
	g.Expect(ref.String()).To(Equal("gcr.io/kube-apiserver"))
}

// setTagOrDigest takes a tag, else a digest-shaped value (any algorithm, not validated),
// else nothing.
func TestSetTagOrDigest(t *testing.T) {
	tests := []struct {
		name  string
		from  imageRef
		input string
		want  imageRef
	}{
		{"a tag replaces a digest", imageRef{repository: "app", digest: digest64}, "v2", imageRef{repository: "app", tag: "v2"}},
		{"a digest replaces a tag", imageRef{repository: "app", tag: "v1"}, digest64b, imageRef{repository: "app", digest: digest64b}},
		{"any algorithm with 32 hex digits counts as a digest", imageRef{repository: "app", tag: "v1"},
			"md5:0123456789abcdef0123456789abcdef", imageRef{repository: "app", digest: "md5:0123456789abcdef0123456789abcdef"}},
		{"neither a tag nor a digest changes nothing", imageRef{repository: "app", tag: "v1.0.0"}, "v1.0.0" + digest64,
			imageRef{repository: "app", tag: "v1.0.0"}},
		{"a tag glued to a digest can still look like a digest", imageRef{repository: "app", tag: "v1"}, "v1" + digest64,
			imageRef{repository: "app", digest: "v1" + digest64}},
		{"an empty value changes nothing", imageRef{repository: "app", tag: "v1"}, "", imageRef{repository: "app", tag: "v1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref := tt.from
			ref.setTagOrDigest(tt.input)
			NewWithT(t).Expect(ref).To(Equal(tt.want))
		})
	}
}
