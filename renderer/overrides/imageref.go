package overrides

import (
	"fmt"
	"strings"
)

// imageRef is a container image reference cut into the four parts an ImageOverrider edits,
// the way Karmada's pkg/util/imageparser cuts it (semantics §1.2.2):
// `[host/]repository[:tag]` or `[host/]repository[@digest]`.
//
// Karmada parses with github.com/distribution/reference, which is not in gitfleet's module
// graph; parseImageRef reproduces its grammar (v0.6.0) and the digest checks of
// github.com/opencontainers/go-digest by hand. Hand-written matchers rather than regular
// expressions keep the package free of package-level state.
type imageRef struct {
	// host is the registry, with its port when there is one ("registry.example:5000").
	host string
	// repository is the path after the host ("team/app"); Karmada's "repository".
	repository string
	// tag is the tag ("v1.2.3"); when set, digest is empty.
	tag string
	// digest is "algorithm:hex"; only set when the reference has no tag.
	digest string
}

// imageRefError is a parse failure of parseImageRef. It is a string type so that the errors
// can be constants (the package keeps no state).
type imageRefError string

func (e imageRefError) Error() string { return string(e) }

// Errors of parseImageRef, worded like distribution/reference's and go-digest's.
const (
	errImageNameEmpty      imageRefError = "repository name must have at least one component"
	errImageNameUppercase  imageRefError = "repository name must be lowercase"
	errImageInvalidFormat  imageRefError = "invalid reference format"
	errImageNameTooLong    imageRefError = "repository name must not be more than 255 characters"
	errDigestInvalidFormat imageRefError = "invalid checksum digest format"
	errDigestInvalidLength imageRefError = "invalid checksum digest length"
	errDigestUnsupported   imageRefError = "unsupported digest algorithm"
)

// maxRepositoryPathLength is distribution/reference's RepositoryNameTotalLengthMax. As there,
// it bounds the path after a registry-like first component, not the whole name.
const maxRepositoryPathLength = 255

// parseImageRef parses image as Karmada's imageparser.Parse does: distribution/reference's
// Parse (not ParseNormalizedNamed: nothing is defaulted, "nginx" stays "nginx"), then
// Karmada's own host split (splitImageHost). A reference with both a tag and a digest keeps
// only the tag — a Karmada quirk that drops the digest on any rewrite (§1.2.2).
func parseImageRef(image string) (imageRef, error) {
	name, tag, digest, ok := matchReference(image)
	if !ok {
		switch {
		case image == "":
			return imageRef{}, errImageNameEmpty
		case matches(strings.ToLower(image)):
			return imageRef{}, errImageNameUppercase
		default:
			return imageRef{}, errImageInvalidFormat
		}
	}
	if len(repositoryPath(name)) > maxRepositoryPathLength {
		return imageRef{}, errImageNameTooLong
	}
	if digest != "" {
		if err := validateDigest(digest); err != nil {
			return imageRef{}, err
		}
	}
	ref := imageRef{tag: tag}
	ref.host, ref.repository = splitImageHost(name)
	if tag == "" {
		ref.digest = digest
	}
	return ref, nil
}

// String renders the reference: `[host/]repository` then `:tag`, or else `@digest`. With an
// empty repository and a host this gives `host/:tag` — the Repository-remove quirk (§1.2.2).
func (r imageRef) String() string {
	full := r.repository
	if r.host != "" {
		full = r.host + "/" + r.repository
	}
	switch {
	case r.tag != "":
		return full + ":" + r.tag
	case r.digest != "":
		return full + "@" + r.digest
	}
	return full
}

// tagOrDigest is the tag when there is one, else the digest.
func (r imageRef) tagOrDigest() string {
	if r.tag != "" {
		return r.tag
	}
	return r.digest
}

// setTagOrDigest stores s as the tag when it is a valid tag, else as the digest when it has
// the shape of one (any algorithm, at least 32 hex digits: not validated further), clearing
// the other; anything else leaves the reference unchanged (Karmada's SetTagOrDigest, §1.2.2).
func (r *imageRef) setTagOrDigest(s string) {
	switch {
	case isTag(s):
		r.tag, r.digest = s, ""
	case isDigestShape(s):
		r.digest, r.tag = s, ""
	}
}

// removeTagOrDigest removes the tag when there is one, else the digest.
func (r *imageRef) removeTagOrDigest() {
	if r.tag != "" {
		r.tag = ""
		return
	}
	r.digest = ""
}

// splitImageHost is Karmada's imageparser.SplitHostname: the text before the first "/" is
// the registry host when it contains "." or ":" or is "localhost"; otherwise there is no
// host. It differs from distribution's own domain split, which would take "team/app"'s
// "team" as a domain.
func splitImageHost(name string) (host, repository string) {
	i := strings.IndexByte(name, '/')
	if i < 0 || (!strings.ContainsAny(name[:i], ".:") && name[:i] != "localhost") {
		return "", name
	}
	return name[:i], name[i+1:]
}

// matchReference matches s against distribution/reference's ReferenceRegexp
// `^(name)(?::(tag))?(?:@(digest))?$` and returns the captures. The grammar admits only one
// way to cut a valid reference: neither name nor tag may contain "@", a tag contains neither
// ":" nor "/", and a name contains ":" only in a registry port, which a "/" follows. So the
// digest starts after the first "@", and the tag after the last ":" when no "/" follows it.
func matchReference(s string) (name, tag, digest string, ok bool) {
	left := s
	if at := strings.IndexByte(s, '@'); at >= 0 {
		left, digest = s[:at], s[at+1:]
		if !isDigestShape(digest) {
			return "", "", "", false
		}
	}
	name = left
	if colon := strings.LastIndexByte(left, ':'); colon > strings.LastIndexByte(left, '/') {
		name, tag = left[:colon], left[colon+1:]
		if !isTag(tag) {
			return "", "", "", false
		}
	}
	if !isRepositoryName(name) {
		return "", "", "", false
	}
	return name, tag, digest, true
}

// matches reports whether s is a valid reference.
func matches(s string) bool {
	_, _, _, ok := matchReference(s)
	return ok
}

// isRepositoryName matches distribution's name pattern: an optional `domain[:port]/` then a
// remote name.
func isRepositoryName(name string) bool {
	if isRemoteName(name) {
		return true
	}
	i := strings.IndexByte(name, '/')
	return i >= 0 && isDomainAndPort(name[:i]) && isRemoteName(name[i+1:])
}

// repositoryPath is the part of a valid name that distribution's length limit applies to:
// what follows the first component when that component is a valid domain (its
// anchoredNameRegexp prefers to capture a domain), else the whole name.
func repositoryPath(name string) string {
	if i := strings.IndexByte(name, '/'); i >= 0 && isDomainAndPort(name[:i]) && isRemoteName(name[i+1:]) {
		return name[i+1:]
	}
	return name
}

// isDomainAndPort matches `host(?::[0-9]+)?` where host is a DNS-like name of
// dot-separated components or a bracketed IPv6 address.
func isDomainAndPort(s string) bool {
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return false
		}
		host, port = s[:end+1], s[end+1:]
		if !isIPv6Literal(host) {
			return false
		}
	} else {
		if i := strings.IndexByte(s, ':'); i >= 0 {
			host, port = s[:i], s[i:]
		}
		if !isDomainName(host) {
			return false
		}
	}
	if port == "" {
		return true
	}
	return len(port) > 1 && port[0] == ':' && allBytes(port[1:], isDigit)
}

// isIPv6Literal matches `\[[a-fA-F0-9:]+\]`.
func isIPv6Literal(s string) bool {
	if len(s) < 3 || s[0] != '[' || s[len(s)-1] != ']' {
		return false
	}
	return allBytes(s[1:len(s)-1], func(c byte) bool { return isHexDigit(c) || c == ':' })
}

// isDomainName matches dot-separated components of letters, digits and inner hyphens.
func isDomainName(s string) bool {
	for comp := range strings.SplitSeq(s, ".") {
		if comp == "" || !isAlnum(comp[0]) || !isAlnum(comp[len(comp)-1]) {
			return false
		}
		if !allBytes(comp, func(c byte) bool { return isAlnum(c) || c == '-' }) {
			return false
		}
	}
	return true
}

// isRemoteName matches slash-separated path components: runs of lower-case letters and
// digits joined by ".", "_", "__" or one or more "-".
func isRemoteName(s string) bool {
	for comp := range strings.SplitSeq(s, "/") {
		if !isPathComponent(comp) {
			return false
		}
	}
	return true
}

func isPathComponent(s string) bool {
	if s == "" || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	sep := -1 // start of the current separator run; -1 inside an alphanumeric run
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isLowerAlnum(c):
			if sep >= 0 && !isPathSeparator(s[sep:i]) {
				return false
			}
			sep = -1
		case c == '.' || c == '_' || c == '-':
			if sep < 0 {
				sep = i
			}
		default:
			return false
		}
	}
	return true
}

// isPathSeparator matches `[._]|__|[-]+`.
func isPathSeparator(s string) bool {
	switch s {
	case ".", "_", "__":
		return true
	}
	return allBytes(s, func(c byte) bool { return c == '-' })
}

// isTag matches `^[\w][\w.-]{0,127}$` (\w is ASCII in Go's regexp syntax).
func isTag(s string) bool {
	if s == "" || len(s) > 128 || !isWordChar(s[0]) {
		return false
	}
	return allBytes(s, func(c byte) bool { return isWordChar(c) || c == '.' || c == '-' })
}

// isDigestShape matches distribution's digest pattern
// `^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[[:xdigit:]]{32,}$`.
func isDigestShape(s string) bool {
	i := strings.IndexByte(s, ':')
	if i < 0 {
		return false
	}
	algorithm, encoded := s[:i], s[i+1:]
	if len(encoded) < 32 || !allBytes(encoded, isHexDigit) {
		return false
	}
	// Components start with a letter, continue with letters and digits, and are joined by
	// single separators.
	start := true
	for j := 0; j < len(algorithm); j++ {
		c := algorithm[j]
		switch {
		case start:
			if !isLetter(c) {
				return false
			}
			start = false
		case isAlnum(c):
		case c == '-' || c == '_' || c == '+' || c == '.':
			start = true
		default:
			return false
		}
	}
	return algorithm != "" && !start
}

// validateDigest is go-digest's Digest.Validate for a string already of digest shape, with
// the algorithms Karmada's binary registers (it imports crypto/sha256 and crypto/sha512):
// sha256, sha384 and sha512, each with exactly its length of lower-case hex.
func validateDigest(d string) error {
	i := strings.IndexByte(d, ':')
	algorithm, encoded := d[:i], d[i+1:]
	var size int
	switch algorithm {
	case "sha256":
		size = 64
	case "sha384":
		size = 96
	case "sha512":
		size = 128
	default:
		if !isGoDigestShape(d) {
			return errDigestInvalidFormat
		}
		return errDigestUnsupported
	}
	if len(encoded) != size {
		return errDigestInvalidLength
	}
	if !allBytes(encoded, func(c byte) bool { return isDigit(c) || ('a' <= c && c <= 'f') }) {
		return errDigestInvalidFormat
	}
	return nil
}

// isGoDigestShape matches go-digest's `^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$`, which
// only decides which error an unknown algorithm gets.
func isGoDigestShape(d string) bool {
	i := strings.IndexByte(d, ':')
	algorithm, encoded := d[:i], d[i+1:]
	if encoded == "" || !allBytes(encoded, func(c byte) bool { return isAlnum(c) || c == '=' || c == '_' || c == '-' }) {
		return false
	}
	prevSep := true
	for j := 0; j < len(algorithm); j++ {
		c := algorithm[j]
		switch {
		case isLowerAlnum(c):
			prevSep = false
		case c == '.' || c == '+' || c == '_' || c == '-':
			if prevSep {
				return false
			}
			prevSep = true
		default:
			return false
		}
	}
	return !prevSep
}

func allBytes(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isLetter(c byte) bool     { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }
func isAlnum(c byte) bool      { return isDigit(c) || isLetter(c) }
func isLowerAlnum(c byte) bool { return isDigit(c) || ('a' <= c && c <= 'z') }
func isWordChar(c byte) bool   { return isAlnum(c) || c == '_' }
func isHexDigit(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

// describeImageError wraps a parse failure the way Karmada words it.
func describeImageError(image string, err error) error {
	return fmt.Errorf("failed to parse image value(%s), error: %w", image, err)
}
