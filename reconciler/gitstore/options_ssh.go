package gitstore

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// DefaultSSHUsername is the SSH user name used when neither the URL nor Auth.Username names
// one: GitHub, GitLab, Gitea and Bitbucket all serve Git as "git".
const DefaultSSHUsername = "git"

// defaultSSHPort is the port of an ssh URL that names none.
const defaultSSHPort = 22

// hasSSH reports whether any of a's SSH fields is set.
func (a Auth) hasSSH() bool {
	return len(a.SSHKey) > 0 || a.SSHKeyPassphrase != "" || len(a.SSHKnownHosts) > 0 || a.SSHInsecureIgnoreHostKey
}

// parseSSH parses an ssh:// URL or the scp-like syntax (git@github.com:org/fleet.git) into a
// location whose auth is a's SSH key, checking the host key against a's known_hosts.
func parseSSH(raw string, a Auth) (location, error) {
	ep, err := transport.NewEndpoint(raw)
	if err != nil || ep.Protocol != "ssh" {
		// The parse error quotes the URL, which may hold credentials: do not wrap it.
		return location{}, errors.New("invalid SSH repository URL (not shown: it may contain credentials); " +
			"use ssh://user@host[:port]/path or user@host:dir/repo.git")
	}
	name := raw
	if strings.Contains(raw, "://") {
		u, err := url.Parse(raw)
		if err != nil {
			return location{}, errors.New("invalid SSH repository URL (not shown: it may contain credentials)")
		}
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		name = u.String()
	}
	loc := location{remote: true, name: name}
	fail := func(format string, args ...any) (location, error) {
		return location{}, fmt.Errorf("repository %s: %s", name, fmt.Sprintf(format, args...))
	}

	switch {
	case ep.Password != "":
		return fail("a password in an ssh URL is not supported: use Auth.SSHKey")
	case a.Password != "" || a.Token != "":
		return fail("Auth.Password and Auth.Token are for http(s) URLs: use Auth.SSHKey for SSH")
	case len(a.SSHKey) == 0:
		return fail("SSH needs a private key in Auth.SSHKey")
	case len(a.SSHKnownHosts) > 0 && a.SSHInsecureIgnoreHostKey:
		return fail("set Auth.SSHKnownHosts or Auth.SSHInsecureIgnoreHostKey, not both")
	case ep.User != "" && a.Username != "" && ep.User != a.Username:
		return fail("SSH user %q in the URL but %q in Auth.Username", ep.User, a.Username)
	}
	user := cmp.Or(ep.User, a.Username, DefaultSSHUsername)
	port := ep.Port
	if port <= 0 {
		port = defaultSSHPort
	}
	hostPort := net.JoinHostPort(strings.Trim(ep.Host, "[]"), strconv.Itoa(port))

	signer, err := parseSSHKey(a.SSHKey, a.SSHKeyPassphrase)
	if err != nil {
		return fail("%v", err)
	}
	keys := &gitssh.PublicKeys{User: user, Signer: signer}
	if a.SSHInsecureIgnoreHostKey {
		keys.HostKeyCallback = ssh.InsecureIgnoreHostKey()
	} else {
		keys.HostKeyCallbackHelper, err = knownHostsCallback(a.SSHKnownHosts, hostPort)
		if err != nil {
			return fail("%v", err)
		}
	}
	loc.auth = keys
	loc.sshKey = ssh.FingerprintSHA256(signer.PublicKey())
	loc.sshHost = hostPort
	return loc, nil
}

// parseSSHKey parses a private key, decrypting it with passphrase if it is encrypted. Its
// errors never quote the key.
func parseSSHKey(key []byte, passphrase string) (ssh.Signer, error) {
	signer, err := ssh.ParsePrivateKey(key)
	var encrypted *ssh.PassphraseMissingError
	if errors.As(err, &encrypted) {
		if passphrase == "" {
			return nil, errors.New("the key in Auth.SSHKey is encrypted: set Auth.SSHKeyPassphrase")
		}
		signer, err = ssh.ParsePrivateKeyWithPassphrase(key, []byte(passphrase))
	}
	if err != nil {
		return nil, fmt.Errorf("parse Auth.SSHKey: %w", err)
	}
	return signer, nil
}

// knownHostsCallback checks host keys against the known_hosts content, which must list
// hostPort, and offers the server only the host key algorithms listed for it, so that a server
// with several host keys presents one the content can vouch for.
//
// The known_hosts parsers (golang.org/x/crypto/ssh/knownhosts and the one go-git uses on top of
// it) read files only, so the content goes through a temporary file that is removed once it is
// parsed.
func knownHostsCallback(content []byte, hostPort string) (gitssh.HostKeyCallbackHelper, error) {
	if len(content) == 0 {
		return gitssh.HostKeyCallbackHelper{}, fmt.Errorf("no known_hosts to check the host key of %s against: "+
			"set Auth.SSHKnownHosts (for example the output of ssh-keyscan), "+
			"or Auth.SSHInsecureIgnoreHostKey where a server may be impersonated without harm (tests)", hostPort)
	}
	f, err := os.CreateTemp("", "gitstore-known_hosts-*")
	if err != nil {
		return gitssh.HostKeyCallbackHelper{}, fmt.Errorf("known_hosts: %w", err)
	}
	defer os.Remove(f.Name())
	_, err = f.Write(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return gitssh.HostKeyCallbackHelper{}, fmt.Errorf("known_hosts: %w", err)
	}
	db, err := gitssh.NewKnownHostsDb(f.Name())
	if err != nil {
		// Name the field, not the temporary file.
		return gitssh.HostKeyCallbackHelper{}, errors.New(strings.ReplaceAll(err.Error(), f.Name(), "Auth.SSHKnownHosts"))
	}
	algorithms := db.HostKeyAlgorithms(hostPort)
	if len(algorithms) == 0 {
		return gitssh.HostKeyCallbackHelper{}, fmt.Errorf("no key for %s in Auth.SSHKnownHosts (host entries of a "+
			"non-standard port are written [host]:port)", knownhosts.Normalize(hostPort))
	}
	return gitssh.HostKeyCallbackHelper{HostKeyCallback: db.HostKeyCallback(), HostKeyAlgorithms: algorithms}, nil
}

// explain adds what the user can do to an SSH failure of a remote operation; other errors
// are returned as they are.
func (l location) explain(err error) error {
	if err == nil || l.sshKey == "" {
		return err
	}
	var keyErr *knownhosts.KeyError
	var revoked *knownhosts.RevokedError
	msg := err.Error()
	switch {
	case errors.As(err, &revoked):
		return fmt.Errorf("SSH host key of %s is revoked in Auth.SSHKnownHosts: %w", l.sshHost, err)
	case errors.As(err, &keyErr) && len(keyErr.Want) > 0:
		return fmt.Errorf("SSH host key of %s does not match Auth.SSHKnownHosts (the server's key changed, or "+
			"another server answers): %w", l.sshHost, err)
	case errors.As(err, &keyErr):
		return fmt.Errorf("SSH host key of %s is not in Auth.SSHKnownHosts: %w", l.sshHost, err)
	case strings.Contains(msg, "unable to authenticate"):
		// x/crypto/ssh reports a refused key with a plain error.
		return fmt.Errorf("%w: the SSH server %s refused key %s (is it a deploy key of the repository, "+
			"with write access for pushes?): %v", transport.ErrAuthenticationRequired, l.sshHost, l.sshKey, err)
	}
	return err
}
