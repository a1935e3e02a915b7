package gitstore_test

import (
	"context"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

// TestCommitTrailersRoundTrip: trailers given to Commit are read back from the commit.
func TestCommitTrailersRoundTrip(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	repo, _ := newBareRepo(t, gitstore.Options{})
	req := renderRequest(renderV1, plumbing.ZeroHash)
	req.Message = "Render main at 0123456\n\nPlacement changed for 2 bindings.\n\n"
	req.Trailers = []gitstore.Trailer{
		{Key: gitstore.TrailerSourceCommit, Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: gitstore.TrailerStatusCommit, Value: "89abcdef0123456789abcdef0123456789abcdef"},
	}
	res, err := repo.Commit(context.Background(), req)
	g.Expect(err).NotTo(HaveOccurred())

	snap, err := repo.Snapshot(res.Commit)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(snap.Commit.Message).To(Equal("Render main at 0123456\n\nPlacement changed for 2 bindings.\n\n" +
		"Source-Commit: 0123456789abcdef0123456789abcdef01234567\n" +
		"Status-Commit: 89abcdef0123456789abcdef0123456789abcdef\n"))
	g.Expect(gitstore.ParseTrailers(snap.Commit.Message)).To(Equal(map[string]string{
		"Source-Commit": "0123456789abcdef0123456789abcdef01234567",
		"Status-Commit": "89abcdef0123456789abcdef0123456789abcdef",
	}))
}

func TestParseTrailers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, message string
		want          map[string]string
	}{
		{name: "empty", message: "", want: nil},
		{name: "subject only", message: "Render main\n", want: nil},
		{name: "subject that looks like a trailer", message: "Source-Commit: abc\n", want: nil},
		{name: "body without trailers", message: "Render main\n\nSome text.\n", want: nil},
		{
			name:    "trailer block",
			message: "Render main\n\nSource-Commit: abc\nStatus-Commit: def\n",
			want:    map[string]string{"Source-Commit": "abc", "Status-Commit": "def"},
		},
		{
			name:    "after a body, trailing blank lines and CRLF",
			message: "Render main\r\n\r\nBody.\r\n\r\nSource-Commit:  abc \r\n\r\n\r\n",
			want:    map[string]string{"Source-Commit": "abc"},
		},
		{
			name:    "only the last paragraph counts",
			message: "Render main\n\nSource-Commit: old\n\nSigned-off-by: Ops <ops@example.com>\n",
			want:    map[string]string{"Signed-off-by": "Ops <ops@example.com>"},
		},
		{
			name:    "a line that is not a trailer spoils the block",
			message: "Render main\n\nSource-Commit: abc\nsee the docs\n",
			want:    nil,
		},
		{
			name:    "continuation line",
			message: "Render main\n\nNote: a long\n  value\nSource-Commit: abc\n",
			want:    map[string]string{"Note": "a long value", "Source-Commit": "abc"},
		},
		{
			name:    "last value wins",
			message: "Render main\n\nSource-Commit: abc\nSource-Commit: def\n",
			want:    map[string]string{"Source-Commit": "def"},
		},
		{name: "key with a space", message: "Render main\n\nSource Commit: abc\n", want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			NewWithT(t).Expect(gitstore.ParseTrailers(tc.message)).To(Equal(tc.want))
		})
	}
}
