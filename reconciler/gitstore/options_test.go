package gitstore_test

import (
	"context"
	"fmt"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

const secret = "s3cret-9d1e"

// TestOpenRejectsOptions: options that cannot work fail before any network access, with an
// error that says why and does not show secrets.
func TestOpenRejectsOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts gitstore.Options
		want string
	}{
		{name: "no URL", opts: gitstore.Options{}, want: "Options.URL is empty"},
		{name: "scp-like SSH without key", opts: gitstore.Options{URL: "git@github.com:org/fleet.git"}, want: "repository git@github.com:org/fleet.git: SSH needs a private key in Auth.SSHKey"},
		{name: "ssh URL without key", opts: gitstore.Options{URL: "ssh://git@github.com/org/fleet.git"}, want: "repository ssh://git@github.com/org/fleet.git: SSH needs a private key in Auth.SSHKey"},
		{
			name: "ssh URL with a password",
			opts: gitstore.Options{URL: "ssh://git:" + secret + "@github.com/org/fleet.git"},
			want: "repository ssh://git@github.com/org/fleet.git: a password in an ssh URL is not supported",
		},
		{
			name: "ssh URL with a token",
			opts: gitstore.Options{URL: "ssh://git@github.com/org/fleet.git", Auth: gitstore.Auth{Token: secret}},
			want: "Auth.Password and Auth.Token are for http(s) URLs",
		},
		{
			name: "SSH settings for an https URL",
			opts: gitstore.Options{URL: "https://git.example.com/fleet.git", Auth: gitstore.Auth{SSHKey: []byte(secret)}},
			want: "repository https://git.example.com/fleet.git: Auth.SSHKey, Auth.SSHKnownHosts and the other SSH settings are for SSH URLs",
		},
		{
			name: "known_hosts and insecure",
			opts: gitstore.Options{URL: "git@github.com:org/fleet.git", Auth: gitstore.Auth{SSHKey: []byte(secret), SSHKnownHosts: []byte("github.com ssh-ed25519 AAAA"), SSHInsecureIgnoreHostKey: true}},
			want: "set Auth.SSHKnownHosts or Auth.SSHInsecureIgnoreHostKey, not both",
		},
		{
			name: "two SSH users",
			opts: gitstore.Options{URL: "git@github.com:org/fleet.git", Auth: gitstore.Auth{Username: "ops", SSHKey: []byte(secret)}},
			want: `SSH user "git" in the URL but "ops" in Auth.Username`,
		},
		{
			name: "unparsable SSH key",
			opts: gitstore.Options{URL: "git@github.com:org/fleet.git", Auth: gitstore.Auth{SSHKey: []byte(secret), SSHInsecureIgnoreHostKey: true}},
			want: "repository git@github.com:org/fleet.git: parse Auth.SSHKey: ssh: no key found",
		},
		{
			name: "unparsable SSH URL",
			opts: gitstore.Options{URL: "ssh://git:" + secret + "@github.com:port/fleet.git"},
			want: "invalid SSH repository URL",
		},
		{name: "file scheme", opts: gitstore.Options{URL: "file:///srv/fleet.git"}, want: `unsupported repository URL scheme "file"`},
		{
			name: "password and token",
			opts: gitstore.Options{URL: "https://git.example.com/fleet.git", Auth: gitstore.Auth{Password: secret, Token: secret}},
			want: "repository https://git.example.com/fleet.git: auth: set Password or Token, not both",
		},
		{
			name: "credentials twice",
			opts: gitstore.Options{URL: "https://ops:" + secret + "@git.example.com/fleet.git", Auth: gitstore.Auth{Token: secret}},
			want: "repository https://git.example.com/fleet.git: credentials given both in the URL and in Auth",
		},
		{
			name: "unparsable URL with credentials",
			opts: gitstore.Options{URL: "https://ops:" + secret + "/x@git.example.com:port/fleet.git"},
			want: "invalid repository URL",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := gitstore.Open(context.Background(), tc.opts)
			g.Expect(err).To(MatchError(ContainSubstring(tc.want)))
			g.Expect(err.Error()).NotTo(ContainSubstring(secret))
		})
	}
}

// TestAuthRedacts: printing Options or Auth, however it is printed, shows no secret.
func TestAuthRedacts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		auth gitstore.Auth
		want string
	}{
		{auth: gitstore.Auth{}, want: "anonymous"},
		{auth: gitstore.Auth{Username: "ops", Password: secret}, want: `basic (user "ops")`},
		{auth: gitstore.Auth{Token: secret}, want: `token (user "git")`},
		{auth: gitstore.Auth{Username: "x-access-token", Token: secret}, want: `token (user "x-access-token")`},
		{auth: gitstore.Auth{SSHKey: []byte(secret), SSHKeyPassphrase: secret, SSHKnownHosts: []byte("github.com ssh-ed25519 AAAA")}, want: "ssh key"},
		{auth: gitstore.Auth{Username: "ops", SSHKey: []byte(secret), SSHInsecureIgnoreHostKey: true}, want: `ssh key (user "ops"), host key not checked`},
	} {
		g := NewWithT(t)
		g.Expect(tc.auth.String()).To(Equal(tc.want))
		opts := gitstore.Options{URL: "https://git.example.com/fleet.git", Auth: tc.auth}
		for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
			g.Expect(fmt.Sprintf(format, opts)).NotTo(ContainSubstring(secret), format)
			g.Expect(fmt.Sprintf(format, &opts)).NotTo(ContainSubstring(secret), format)
		}
	}
}
