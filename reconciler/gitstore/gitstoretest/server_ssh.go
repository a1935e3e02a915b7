package gitstoretest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/fluxcd/gitkit"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

// sshState is the SSH side of a Server, set by StartSSH.
type sshState struct {
	// clientKey is the private key (OpenSSH PEM) the server accepts.
	clientKey []byte
	// knownHosts lists the server's ed25519 host key for its address.
	knownHosts []byte
}

// gittestserver keeps the function that authorises SSH keys in a package variable, shared by
// all its servers; lookupOnce installs one that accepts the keys in authorizedKeys, which every
// Server's StartSSH adds its client key to. Keys are random, so a key one test authorised is
// never presented by another.
var (
	lookupOnce     sync.Once
	authorizedKeys sync.Map // authorized_keys line ("ssh-ed25519 AAAA…") → struct{}
)

// errUnauthorizedKey is what the server answers a key no StartSSH authorised.
var errUnauthorizedKey = errors.New("gitstoretest: unauthorised SSH key")

// StartSSH serves the server's repositories over SSH as well, until the test ends. The SSH
// server accepts one client key, generated here (see SSHAuth), and presents an ed25519 host key
// (listed in SSHAuth's known_hosts) besides an RSA one, so that a client must pick the host
// key algorithm its known_hosts vouches for. PushDir still pushes over HTTP; the hooks
// BeforeReceivePack and SetDown apply to HTTP only.
func (s *Server) StartSSH(t testing.TB) {
	t.Helper()
	if s.sshSide != nil {
		t.Fatalf("gitstoretest: StartSSH called twice")
	}
	clientKey, clientPub := NewSSHKey(t)
	_, hostPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatalf("gitstoretest: host key: %v", err)
	}
	hostSigner, err := ssh.NewSignerFromKey(hostPriv)
	if err != nil {
		t.Fatalf("gitstoretest: host key: %v", err)
	}

	lookupOnce.Do(func() {
		s.git.PublicKeyLookupFunc(func(content string) (*gitkit.PublicKey, error) {
			if _, ok := authorizedKeys.Load(content); !ok {
				return nil, errUnauthorizedKey
			}
			return &gitkit.PublicKey{Id: "gitstoretest"}, nil
		})
	})
	authorizedKeys.Store(authorizedKey(clientPub), struct{}{})
	t.Cleanup(func() { authorizedKeys.Delete(authorizedKey(clientPub)) })

	// gitkit adds its own RSA host key (written to and read from the key directory) to this
	// configuration, and the callback that asks the lookup function above about client keys.
	cfg := &ssh.ServerConfig{}
	cfg.AddHostKey(hostSigner)
	s.git.KeyDir(t.TempDir()).WithSSHConfig(cfg)
	if err := s.git.ListenSSH(); err != nil {
		t.Fatalf("gitstoretest: listen for SSH: %v", err)
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = s.git.StartSSH() // returns when StopSSH closes the listener
	}()
	t.Cleanup(func() {
		_ = s.git.StopSSH()
		<-served
	})

	line := knownhosts.Line([]string{knownhosts.Normalize(s.sshAddress())}, hostSigner.PublicKey())
	s.sshSide = &sshState{clientKey: clientKey, knownHosts: []byte(line + "\n")}
}

// SSHURL returns the ssh URL of the repository repo (for example "fleet.git"), with the user
// "git": ssh://git@127.0.0.1:port/fleet.git. It needs StartSSH.
func (s *Server) SSHURL(repo string) string {
	if s.sshSide == nil {
		panic("gitstoretest: SSHURL before StartSSH")
	}
	return s.git.SSHAddress() + "/" + repo
}

// SSHAuth returns credentials the SSH server accepts: its client key and known_hosts content
// that lists its host key. It needs StartSSH.
func (s *Server) SSHAuth() gitstore.Auth {
	if s.sshSide == nil {
		panic("gitstoretest: SSHAuth before StartSSH")
	}
	return gitstore.Auth{SSHKey: s.sshSide.clientKey, SSHKnownHosts: s.sshSide.knownHosts}
}

// SSHHostAddress returns the host:port the SSH server listens on. It needs StartSSH.
func (s *Server) SSHHostAddress() string {
	if s.sshSide == nil {
		panic("gitstoretest: SSHHostAddress before StartSSH")
	}
	return s.sshAddress()
}

func (s *Server) sshAddress() string {
	return strings.TrimPrefix(s.git.SSHAddress(), "ssh://git@")
}

// NewSSHKey generates an ed25519 key pair and returns the private key in OpenSSH PEM format
// (what ssh-keygen writes, and what gitstore.Auth.SSHKey takes) and the public key. No server
// accepts it unless it is its StartSSH key: tests use it as a wrong key.
func NewSSHKey(t testing.TB) ([]byte, ssh.PublicKey) {
	t.Helper()
	return newSSHKey(t, "")
}

// NewEncryptedSSHKey is NewSSHKey with the private key encrypted with passphrase.
func NewEncryptedSSHKey(t testing.TB, passphrase string) ([]byte, ssh.PublicKey) {
	t.Helper()
	return newSSHKey(t, passphrase)
}

func newSSHKey(t testing.TB, passphrase string) ([]byte, ssh.PublicKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatalf("gitstoretest: SSH key: %v", err)
	}
	var block *pem.Block
	if passphrase == "" {
		block, err = ssh.MarshalPrivateKey(priv, "gitstoretest")
	} else {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "gitstoretest", []byte(passphrase))
	}
	if err != nil {
		t.Fatalf("gitstoretest: SSH key: %v", err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatalf("gitstoretest: SSH key: %v", err)
	}
	return pem.EncodeToMemory(block), sshPub
}

// authorizedKey is key as gitkit hands it to the lookup function: its authorized_keys line
// without comment or newline.
func authorizedKey(key ssh.PublicKey) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))
}
