package credentials

import (
	"context"
	"os"
	"testing"

	. "github.com/onsi/gomega"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/devcluster"
)

// TestResolveAgainstAPIServer resolves credentials that a real API server accepts. One
// devcluster API server is both the hub, holding the Secrets, and the member.
func TestResolveAgainstAPIServer(t *testing.T) {
	fleet := devcluster.StartForTest(t, devcluster.Options{Clusters: []string{"member1"}})
	member := fleet.Cluster("member1")
	ctx := context.Background()
	g := NewWithT(t)
	hub, err := kubernetes.NewForConfig(member.Config)
	g.Expect(err).NotTo(HaveOccurred())
	ns, err := hub.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "credentials-"}}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	r := &Resolver{Hub: hub}

	// memberCluster stores data as the Secret of a Cluster named member1 and returns the Cluster.
	memberCluster := func(g *WithT, secretName string, data map[string][]byte) *v1alpha1.Cluster {
		_, err := hub.CoreV1().Secrets(ns.Name).Create(ctx, &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Name: secretName}, Data: data,
		}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		c := &v1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: "member1"}}
		c.Spec.APIEndpoint = member.Config.Host
		c.Spec.SecretRef = &v1alpha1.LocalSecretReference{Namespace: ns.Name, Name: secretName}
		return c
	}

	t.Run("the admin kubeconfig under key kubeconfig", func(t *testing.T) {
		g := NewWithT(t)
		// devcluster's kubeconfig holds the server, its CA and an admin client certificate inline.
		data, err := os.ReadFile(member.KubeconfigPath)
		g.Expect(err).NotTo(HaveOccurred())
		creds, err := r.Resolve(ctx, memberCluster(g, "member1-kubeconfig", map[string][]byte{SecretKubeconfigKey: data}))
		g.Expect(err).NotTo(HaveOccurred())
		client, err := kubernetes.NewForConfig(creds.Config)
		g.Expect(err).NotTo(HaveOccurred())
		list, err := client.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(list.Items).To(ContainElement(HaveField("Name", ns.Name)))
	})

	t.Run("a service account token and caBundle", func(t *testing.T) {
		g := NewWithT(t)
		sa, err := hub.CoreV1().ServiceAccounts(ns.Name).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "gitfleet"}}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		token, err := hub.CoreV1().ServiceAccounts(ns.Name).CreateToken(ctx, sa.Name, &authenticationv1.TokenRequest{
			Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: ptr.To[int64](600)},
		}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		creds, err := r.Resolve(ctx, memberCluster(g, "member1-token", map[string][]byte{
			v1alpha1.SecretTokenKey:  []byte(token.Status.Token),
			v1alpha1.SecretCADataKey: member.Config.CAData,
		}))
		g.Expect(err).NotTo(HaveOccurred())
		client, err := kubernetes.NewForConfig(creds.Config)
		g.Expect(err).NotTo(HaveOccurred())
		// Any authenticated user may ask who it is: the answer proves the token was accepted.
		review, err := client.AuthenticationV1().SelfSubjectReviews().Create(ctx, &authenticationv1.SelfSubjectReview{}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(review.Status.UserInfo.Username).To(Equal("system:serviceaccount:" + ns.Name + ":gitfleet"))
	})

	t.Run("the fleet's directory as --credentials-dir", func(t *testing.T) {
		g := NewWithT(t)
		creds, err := (&Resolver{Dir: fleet.Dir}).Resolve(ctx, &v1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: "member1"}})
		g.Expect(err).NotTo(HaveOccurred())
		client, err := kubernetes.NewForConfig(creds.Config)
		g.Expect(err).NotTo(HaveOccurred())
		_, err = client.CoreV1().Namespaces().Get(ctx, ns.Name, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred())
	})
}
